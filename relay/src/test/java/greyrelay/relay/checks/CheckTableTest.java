package greyrelay.relay.checks;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.access.RelayDomains;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.greylist.GreylistCheck;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.policy.DecisionRecorder;
import greyrelay.relay.policy.DecisionSink;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.ratelimit.RateLimits;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.TestClock;
import greyrelay.relay.verify.ProbeRouting;
import greyrelay.relay.verify.Verification;
import greyrelay.relay.whitelist.Whitelisting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order each phase runs in, as the table builds it without any listener: every check on, every optional check
 * off, and a mix, with the modes. A change of order is a change of these lines.
 */
class CheckTableTest {
    @TempDir
    static Path dir;

    static Database db;
    static FakeDnsServer dns;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
        dns = FakeDnsServer.start();
    }

    @AfterAll
    static void close() {
        dns.close();
        db.close();
    }

    /** The listener's count; the table only hands it to the connection-limit checks. */
    static final class NoConnections implements OpenConnections {
        @Override
        public int total() {
            return 0;
        }

        @Override
        public int of(InetAddress client) {
            return 0;
        }

        @Override
        public int inNetwork(InetAddress client, BiPredicate<InetAddress, InetAddress> sameNetwork) {
            return 0;
        }
    }

    static List<String> order(String yaml) {
        RelayConfig config = RelayHarness.config(dir, yaml, dns.address().getPort(), 25);
        TestClock clock = new TestClock();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        var resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(200), 1);
        try (Verification verification = Verification.create(config, clock, resolver, db, metrics, ProbeRouting.port(25));
                Greylisting greylisting = Greylisting.create(config.greylist(), db, clock, metrics, "mx.example.com", "test",
                        GreylistCheck.FirstSight.NONE)) {
            var features = new CheckTable.Features(
                    Whitelisting.create(config.greylist(), new WhitelistStore(db), resolver, clock.instant(), metrics),
                    greylisting,
                    verification,
                    RateLimits.create(config.rateLimits(), db, clock, metrics));
            var table = new CheckTable(config, clock, resolver, metrics, new NoConnections(),
                    new RelayDomains(config.smtp().relayDomains()), features);
            return table.pipeline(new DecisionRecorder(clock, metrics, DecisionSink.NONE)).describe();
        }
    }

    @Test
    void every_check_on_in_table_order() {
        assertThat(order("""
                greylist:
                  spamtraps: [trap@example.com]
                  mode: observe
                verification:
                  enabled: true
                recipientVerification:
                  enabled: true
                  mode: observe
                hygiene:
                  greetingDelay: 1s
                dnsbl:
                  lists: ["zen.example:reject", "bl.example:defer"]
                """)).containsExactly(
                "connect: connection-limit → client-whitelist → network-connection-limit → connection-rate → pregreet → dnsbl",
                "mail: sender-syntax → declared-size",
                "rcpt: relay-domain → rate-limit → role-recipient → spamtrap (observe) → trapped-client (observe) → whitelist"
                        + " → dns-lists → helo → recipient-verification (observe) → spf → sender-domain → greylist (observe)"
                        + " → sender-verification",
                "data: header-size → message-size → mail-loop → null-sender-spamtrap (observe) → null-sender-greylist (observe)");
    }

    @Test
    void a_check_switched_off_is_not_in_the_pipeline() {
        assertThat(order("""
                greylist:
                  enabled: false
                spf:
                  enabled: false
                rateLimits:
                  enabled: false
                hygiene:
                  rejectInvalidHelo: false
                  rejectNonFqdnHelo: false
                  rejectOurHelo: false
                verification:
                  checkSenderDomain: false
                """)).containsExactly(
                "connect: connection-limit → client-whitelist",
                "mail: sender-syntax → declared-size",
                "rcpt: relay-domain → role-recipient → whitelist",
                "data: header-size → message-size → mail-loop");
    }

    @Test
    void each_check_answers_in_its_sections_mode() {
        assertThat(order("""
                verification:
                  enabled: true
                  checkSenderDomain: false
                  mode: observe
                hygiene:
                  rejectInvalidHelo: false
                  rejectNonFqdnHelo: false
                  mode: observe
                rateLimits:
                  mode: observe
                spf:
                  mode: observe
                dnsbl:
                  lists: ["bl.example:defer"]
                  mode: observe
                """)).containsExactly(
                "connect: connection-limit → client-whitelist → network-connection-limit (observe) → connection-rate (observe)",
                "mail: sender-syntax → declared-size",
                "rcpt: relay-domain → rate-limit (observe) → role-recipient → trapped-client → whitelist → dns-lists (observe)"
                        + " → helo (observe) → spf (observe) → greylist → sender-verification (observe)",
                "data: header-size → message-size → mail-loop → null-sender-greylist");
    }
}
