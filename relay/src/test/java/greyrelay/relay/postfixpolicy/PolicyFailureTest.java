package greyrelay.relay.postfixpolicy;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.PolicyClient;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An internal failure over the policy path: the database goes away under a running policy-only node; a check that
 * needs it fails, and the request is answered {@code policy.onError} (the default, failing closed) on a connection
 * that stays open. A triplet the node saw passing a moment ago still passes from memory.
 */
class PolicyFailureTest {
    static final String ON_ERROR = "DEFER_IF_PERMIT Service temporarily unavailable";

    @TempDir
    Path dir;

    @Test
    void a_check_that_fails_is_answered_on_error_and_the_connection_stays() throws Exception {
        Database db = TestDatabases.h2(dir.resolve("db"));
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayHarness h = RelayHarness.start(dir.resolve("node"), """
                        smtp:
                          enabled: false
                        policy:
                          enabled: true
                          port: 0
                        spf:
                          enabled: false
                        """, new TestClock(), dns, sink, db);
                var c = PolicyClient.open(h.relay.policyPort())) {
            assertThat(c.ask(PolicyClient.rcpt("f1", CLIENT_IP, HELO, "jane@example.org", JOHN)))
                    .startsWith("DEFER_IF_PERMIT 4.7.1 Greylisted");
            h.clock.advance(java.time.Duration.ofSeconds(301));
            assertThat(c.ask(PolicyClient.rcpt("f2", CLIENT_IP, HELO, "jane@example.org", JOHN)))
                    .startsWith("PREPEND X-Greylist: delayed 301 seconds");

            db.close();

            assertThat(c.ask(PolicyClient.rcpt("f3", "198.51.100.7", HELO, "someone@example.net", JOHN))).isEqualTo(ON_ERROR);
            assertThat(c.ask(PolicyClient.rcpt("f4", CLIENT_IP, HELO, "jane@example.org", JOHN)))
                    .as("the connection stays; the triplet that just passed is known here without the database")
                    .isEqualTo("DUNNO");
        }
    }
}
