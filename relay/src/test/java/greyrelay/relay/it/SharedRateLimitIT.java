package greyrelay.relay.it;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL database, as README describes: with {@code rateLimits.shared} (the default) they count
 * in the same buckets, so a client gets the limit once in total, not once per node; with {@code shared: false} each
 * node counts alone. Skipped without PostgreSQL, failed with {@code REQUIRE_POSTGRES=1}.
 */
class SharedRateLimitIT {
    @TempDir
    Path dir;

    Database db;
    FakeDnsServer dns;
    DownstreamSink sink;
    TestClock clock;
    RelayHarness mx1;
    RelayHarness mx2;

    @BeforeEach
    void open() {
        db = TestDatabases.postgres();
        dns = FakeDnsServer.start();
        sink = DownstreamSink.start();
        clock = new TestClock();
    }

    @AfterEach
    void close() {
        if (mx1 != null) mx1.close();
        if (mx2 != null) mx2.close();
        if (sink != null) sink.close();
        if (dns != null) dns.close();
        if (db != null) db.close();
    }

    void start(boolean shared) throws Exception {
        String yaml = """
                smtp:
                  proxyProtocol: true
                greylist:
                  enabled: false
                verification:
                  enabled: false
                rateLimits:
                  shared: %s
                  perIp: {connectionsPerMinute: 3, messagesPerHour: 0, recipientsPerHour: 0}
                  perNetwork: {connectionsPerMinute: 0, messagesPerHour: 0, recipientsPerHour: 0}
                """.formatted(shared);
        mx1 = RelayHarness.start(dir.resolve("mx1"), yaml, clock, dns, sink, db);
        mx2 = RelayHarness.start(dir.resolve("mx2"), yaml, clock, dns, sink, db);
    }

    static String greeting(RelayHarness node, String ip) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(ip, node.smtpPort())) {
            return c.read().last().substring(0, 3);
        }
    }

    @Test
    void with_shared_buckets_the_limit_holds_across_both_nodes() throws Exception {
        start(true);
        assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("220");
        assertThat(greeting(mx2, "192.0.2.10")).isEqualTo("220");
        assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("220");

        assertThat(greeting(mx2, "192.0.2.10")).isEqualTo("421");
        assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("421");

        clock.advance(Duration.ofSeconds(20));
        assertThat(greeting(mx2, "192.0.2.10")).isEqualTo("220");
        assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("421");
    }

    @Test
    void without_shared_buckets_each_node_counts_alone() throws Exception {
        start(false);
        for (int i = 0; i < 3; i++) assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("220");
        assertThat(greeting(mx1, "192.0.2.10")).isEqualTo("421");

        for (int i = 0; i < 3; i++) assertThat(greeting(mx2, "192.0.2.10")).isEqualTo("220");
        assertThat(greeting(mx2, "192.0.2.10")).isEqualTo("421");
    }
}
