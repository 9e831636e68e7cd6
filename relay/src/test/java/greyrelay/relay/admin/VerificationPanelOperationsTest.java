package greyrelay.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.probes.Reverify;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin panel's "verify again now" and "forget" through {@link VerificationPanelOperations}, over a whole relay
 * whose probes reach a scripted MX: what the panel passes is checked here, and the verifiers' answers come back in the
 * panel's words. How the verifiers decide is {@code verify/VerificationReprobeTest}'s business.
 */
class VerificationPanelOperationsTest {
    static final String JANE = "jane@example.org";

    @TempDir
    Path dir;
    final Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
    RelayHarness h;
    ScriptedMx mx;

    VerificationOperations ops(String yaml) throws Exception {
        h = RelayHarness.start(dir, yaml, ScriptedMx.routing(mxByIp));
        mx = ScriptedMx.start();
        h.dns.mx("example.org", 10, "mx.example.org").a("mx.example.org", "192.0.2.1");
        mxByIp.put("192.0.2.1", mx);
        return new VerificationPanelOperations(h.relay.verification());
    }

    @AfterEach
    void close() {
        if (h != null) h.close();
        if (mx != null) mx.close();
    }

    @Test
    void a_probe_that_starts_is_started_and_a_second_one_is_already_running() throws Exception {
        VerificationOperations ops = ops("verification: {enabled: true, timeouts: {backgroundConnect: 500ms, backgroundReply: 500ms}}");
        mx.tarpit();

        assertThat(ops.reverify(CacheKind.SENDER, JANE)).isEqualTo(new Reverify.Started());
        assertThat(ops.reverify(CacheKind.SENDER, JANE)).isEqualTo(new Reverify.AlreadyRunning());
    }

    @Test
    void refuses_what_is_not_an_address_and_says_the_verifiers_reasons() throws Exception {
        VerificationOperations ops = ops("verification: {enabled: true}");

        assertThat(ops.reverify(CacheKind.SENDER, "not an address"))
                .isEqualTo(new Reverify.Refused("not a plain local@domain address: it is never probed"));
        assertThat(ops.reverify(CacheKind.SENDER, "\"jane doe\"@example.org"))
                .isEqualTo(new Reverify.Refused("not a plain ASCII local@domain address: it is never probed"));
        assertThat(ops.reverify(CacheKind.RECIPIENT, "john@example.com"))
                .isEqualTo(new Reverify.Refused("recipient verification is off (recipientVerification.enabled: false)"));
        assertThat(mx.connections()).isZero();
    }

    @Test
    void forget_deletes_the_cached_verdict_once() throws Exception {
        VerificationOperations ops = ops(null);
        Instant now = h.clock.instant();
        VerificationCache cache = new VerificationCache(h.relay.database());
        cache.put(new CacheEntry(CacheKind.SENDER, JANE, "example.org", CacheStatus.VALID, 250, "2.1.5 ok", "mx.example.org", now,
                null, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(7))));

        assertThat(ops.forget(CacheKind.SENDER, JANE)).isTrue();
        assertThat(ops.forget(CacheKind.SENDER, JANE)).isFalse();
        assertThat(cache.find(CacheKind.SENDER, JANE)).isEmpty();
    }
}
