package greyrelay.relay.postfixpolicy;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.relay.testing.PolicyClient;
import greyrelay.relay.testing.RelayHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two of postgrey's options that greyrelay gained for it: {@code --privacy} ({@code greylist.privacy}: triplets stored
 * hashed) and {@code --greylist-text} ({@code greylist.text}), through the policy protocol.
 */
class PostgreyOptionsTest {
    @TempDir
    Path dir;

    @Test
    void privacy_stores_hashed_senders_and_recipients_and_a_retry_still_matches_and_the_text_is_ours() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir, """
                smtp:
                  enabled: false
                policy:
                  enabled: true
                  port: 0
                greylist:
                  privacy: true
                  text: "Greylisted for %s seconds, see https://help.example.com/%r.html (100%% normal)"
                spf:
                  enabled: false
                """);
                var c = PolicyClient.open(h.relay.policyPort())) {
            assertThat(c.ask(PolicyClient.rcpt("p1", CLIENT_IP, HELO, "jane@example.org", JOHN)))
                    .isEqualTo("DEFER_IF_PERMIT 4.7.1 Greylisted for 300 seconds, see https://help.example.com/example.com.html (100% normal)");
            h.relay.greylisting().flush();
            List<GreylistEntry> rows = new GreylistStore(h.relay.database()).recent(10, 0);
            assertThat(rows).singleElement().satisfies(e -> {
                assertThat(e.key().sender()).matches("sha256:[0-9a-f]{64}");
                assertThat(e.key().recipient()).matches("sha256:[0-9a-f]{64}");
                assertThat(e.key().toString()).doesNotContain("jane").doesNotContain("john");
            });
            h.clock.advance(Duration.ofSeconds(301));
            assertThat(c.ask(PolicyClient.rcpt("p2", CLIENT_IP, HELO, "JANE@example.org", JOHN)))
                    .startsWith("PREPEND X-Greylist: delayed 301 seconds");
        }
    }
}
