package greyrelay.admin.probes;

import static greyrelay.admin.probes.ProbeFixtures.JANE;
import static greyrelay.admin.probes.ProbeFixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.RelayPolicy;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification pages of a panel running alone ({@code greyrelay admin}): no relay to probe with, so "verify again"
 * is hidden and refused; forgetting works on the shared database; the profile lifetime comes with the relay's policy
 * (built from the same configuration file).
 */
class VerificationStandaloneTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    List<ProbeRecord> probes;

    @BeforeAll
    static void start() {
        var policy = new RelayPolicy(AdminServer.POLICY.greylist(), AdminServer.POLICY.rateLimits(),
                new RelayPolicy.Verification(Duration.ofHours(36)));
        server = AdminServer.start(TestDatabases.h2(dir), true, AdminServer.settings(), null, b -> b.relayPolicy(policy));
        session = server.login();
    }

    @BeforeEach
    void seed() {
        probes = ProbeFixtures.seed(server.database, server.clock.instant());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void hides_verify_again_but_offers_forget_on_a_probes_page() {
        ProbeRecord p = ProbeFixtures.byAddress(probes, MALLORY, false);

        String body = server.get("/verification/probes/" + p.id(), session).body();

        assertThat(body).contains("Forget cached result").doesNotContain("Verify again now").doesNotContain("data-action=\"reverify\"");
        assertThat(server.get("/verification", session).body()).doesNotContain("Verify an address now");
    }

    @Test
    void refuses_verify_again_with_the_reason_on_the_page_and_in_the_api() {
        HttpResponse<String> page = server.postForm("/verification/reverify", session, Map.of("address", JANE));
        HttpResponse<String> api = server.json("POST", "/api/verification/reverify", session, "{\"address\":\"" + JANE + "\"}");

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(page.body()).contains("needs a relay: this panel runs alone");
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(server.parse(api).path("error").asText()).contains("greyrelay admin");
    }

    @Test
    void forgets_a_cached_verdict_directly_in_the_shared_database_and_audits_it() {
        HttpResponse<String> r = server.postForm("/verification/forget", session, Map.of("kind", "sender", "address", MALLORY));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(new VerificationCache(server.database).find(CacheKind.SENDER, MALLORY)).isEmpty();
        assertThat(new AuditLog(server.database).search(new AuditQuery(null, "verification.forget", null, null, 10, 0)))
                .extracting(AuditEntry::target).containsExactly("sender " + MALLORY);
    }

    @Test
    void shows_the_profile_lifetime_from_the_relay_policy_it_was_given() {
        String body = server.get("/verification/domains", session).body();

        assertThat(body).contains("A trait counts for 1d 12h");
        // greylists_probes was learned an hour ago: it counts until 36 h later
        String learned = greyrelay.admin.web.Html.time(server.clock.instant().minus(Duration.ofHours(1)).plus(Duration.ofHours(36))).toString();
        assertThat(server.get("/verification/domains/hostile.example.net", session).body()).contains(learned);
    }

    @Test
    void without_the_relay_policy_shows_no_trait_expiry(@TempDir Path other) {
        try (AdminServer blind = AdminServer.startWithoutPolicy(other)) {
            ProbeFixtures.seed(blind.database, blind.clock.instant());
            AdminServer.Session s = blind.login();

            assertThat(blind.get("/verification/domains", s).body()).contains("A trait counts for verification.cache.profileTtl");
            assertThat(blind.get("/verification/domains/hostile.example.net", s).body())
                    .contains("unknown (verification.cache.profileTtl after it was learned)");
        }
    }
}
