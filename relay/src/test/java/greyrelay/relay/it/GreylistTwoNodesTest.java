package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay nodes (primary and secondary MX) sharing one PostgreSQL database: a sender greylisted on one passes on
 * the other after the delay, and a trap hit on one blocks the network on both. Skipped without PostgreSQL, failed
 * with {@code REQUIRE_POSTGRES=1}.
 */
class GreylistTwoNodesTest {
    static final String YAML = """
            smtp:
              proxyProtocol: true
            greylist:
              spamtraps: [trap@example.com]
            verification:
              enabled: false
            """;

    @TempDir
    static Path dirA;

    @TempDir
    static Path dirB;

    static Database db;
    static TestClock clock;
    static FakeDnsServer dns;
    static DownstreamSink sink;
    static RelayHarness primary;
    static RelayHarness secondary;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.postgres();
        clock = new TestClock();
        dns = FakeDnsServer.start();
        sink = DownstreamSink.start();
        primary = RelayHarness.start(dirA, YAML, clock, dns, sink, db);
        secondary = RelayHarness.start(dirB, YAML, clock, dns, sink, db);
    }

    @AfterAll
    static void stop() {
        if (secondary != null) secondary.close();
        if (primary != null) primary.close();
        if (sink != null) sink.close();
        if (dns != null) dns.close();
        if (db != null) db.close();
    }

    static SmtpConversation at(RelayHarness node, String ip) throws Exception {
        SmtpConversation c = SmtpConversation.openAs(ip, node.smtpPort());
        c.expect(220);
        c.ehlo(HELO);
        return c;
    }

    @Test
    void greylisted_on_the_first_node_passes_on_the_second_after_the_delay() throws Exception {
        String rcpt = "two-nodes@example.com";
        try (var c = at(primary, "192.0.2.10")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect("451 4.7.1 Greylisted, please try again in 300 seconds");
        }
        primary.relay.greylisting().flush(); // a first sight lands within milliseconds; a real retry comes minutes later
        clock.advance(Duration.ofSeconds(60));
        try (var c = at(secondary, "192.0.2.11")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect("451 4.7.1 Greylisted, please try again in 240 seconds");
        }
        secondary.relay.greylisting().flush();
        clock.advance(Duration.ofSeconds(300));
        try (var c = at(secondary, "192.0.2.12")) {
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
            assertThat(c.data(Examples.message("via-secondary")).code()).isEqualTo(250);
        }
        secondary.deliverDue();
        assertThat(sink.received()).filteredOn(r -> r.text().contains("Subject: via-secondary\r\n")).singleElement()
                .satisfies(r -> assertThat(r.text()).contains("X-Greylist: delayed 360 seconds by greyrelay-dev"));
        try (var c = at(primary, "192.0.2.13")) { // and the primary knows it passed
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + rcpt + ">").expect(250);
        }
    }

    @Test
    void a_trap_hit_on_one_node_blocks_the_network_on_the_other() throws Exception {
        try (var c = at(primary, "203.0.113.7")) {
            c.send("MAIL FROM:<spammer@example.net>").expect(250);
            c.send("RCPT TO:<trap@example.com>").expect("451 4.7.1 Client host [203.0.113.7] temporarily blocked");
        }
        try (var c = at(secondary, "203.0.113.8")) {
            c.send("MAIL FROM:<spammer@example.net>").expect(250);
            c.send("RCPT TO:<" + Examples.JOHN + ">").expect("451 4.7.1 Client host [203.0.113.8] temporarily blocked");
        }
    }
}
