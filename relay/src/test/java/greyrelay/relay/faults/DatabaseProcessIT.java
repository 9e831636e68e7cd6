package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TcpProxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3, database gone: the relay on PostgreSQL (a fresh database) behind a {@link TcpProxy} that the test cuts
 * while load continues. Shared rate-limit buckets make every RCPT use the database (connection rates are off: a
 * connect-time check would answer {@code 421} before the banner, which this scenario does not count). Clients get {@code 451 4.3.0}
 * only (no 5xx), no reply takes longer than {@code smtp.commandTimeout}, mail already spooled is delivered, and
 * answers are normal within 10 s after the database returns.
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseProcessIT {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void a_cut_database_gives_451_only_and_recovers_within_10_seconds() throws Exception {
        TestDatabases.requirePostgres();
        Duration outage = FaultParams.duration("db.outage", "6s");
        String name = "f_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        admin("CREATE DATABASE " + name);
        Ledger ledger = new Ledger("database-gone");
        Ledger during = new Ledger("database-gone-during");
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432)) {
            String yaml = FaultRelay.baseYaml(dir, dns, sink).replace("rateLimits:\n  enabled: false\n", """
                    rateLimits:
                      enabled: true
                      shared: true
                      maxConnectionsPerNetwork: 0
                      perIp: {connectionsPerMinute: 0, messagesPerHour: 10000000, recipientsPerHour: 10000000}
                      perNetwork: {connectionsPerMinute: 0, messagesPerHour: 10000000, recipientsPerHour: 10000000}
                    database:
                      url: "jdbc:postgresql://127.0.0.1:%d/%s"
                      user: postgres
                      poolSize: 4
                    """.formatted(proxy.port(), name));
            try (RelayProcess relay = FaultRelay.start(dir, yaml)) {
                SmtpLoad before = SmtpLoad.start(ledger, relay.smtpPort(), 4, "b");
                Thread.sleep(2000);
                sink.down(); // mail acknowledged now stays spooled through the outage
                Thread.sleep(1000);
                before.close();
                proxy.cut();
                sink.up();
                SmtpLoad load = SmtpLoad.start(during, relay.smtpPort(), 4, "c");
                Thread.sleep(outage.toMillis());
                load.close();
                int deliveredDuringOutage = ledger.deliveries(sink).size();
                ledger.awaitDelivered(sink, Duration.ofSeconds(30));
                boolean spooledDeliveredDuringOutage = ledger.lost(sink).isEmpty();
                proxy.restore();
                long restored = System.nanoTime();
                long normalAfterMs = -1;
                Ledger after = new Ledger("database-back");
                while (System.nanoTime() - restored < Duration.ofSeconds(20).toNanos()) {
                    if (probe(relay.smtpPort(), after)) {
                        normalAfterMs = (System.nanoTime() - restored) / 1_000_000;
                        break;
                    }
                    Thread.sleep(250);
                }
                after.awaitDelivered(sink, Duration.ofSeconds(30));
                during.awaitDelivered(sink, Duration.ofSeconds(30));
                String line = during.line(sink, "spooledBefore=" + ledger.counts(sink).acknowledged() + " spooledDelivered="
                        + ledger.counts(sink).delivered() + " normalAfterMs=" + normalAfterMs + " slowestReplyMs=" + load.slowestReplyMs);

                assertThat(during.outcomes().values()).as("scenario database-gone: only 250 or 451 4.3.0 while cut\n" + line)
                        .allMatch(r -> r.equals("250") || r.equals("451 4.3.0") || r.equals(Ledger.NONE));
                assertThat(during.withReplyClass('4')).as("scenario database-gone: the outage was not felt\n" + line).isNotEmpty();
                assertThat(load.slowestReplyMs.get()).as("scenario database-gone: a reply hung\n" + line).isLessThan(COMMAND_TIMEOUT.toMillis());
                assertThat(spooledDeliveredDuringOutage).as(ledger.lostMessage(sink) + " (during the outage, of "
                        + deliveredDuringOutage + " delivered at cut)\n" + line).isTrue();
                assertThat(during.lost(sink)).as(during.lostMessage(sink)).isEmpty();
                assertThat(normalAfterMs).as("scenario database-gone: no 250 within 10 s of the database's return\n" + line)
                        .isBetween(0L, 10_000L);
                assertThat(after.lost(sink)).as(after.lostMessage(sink)).isEmpty();
            }
        } finally {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    /** One message on a fresh connection; true when it got 250. */
    private static boolean probe(int port, Ledger ledger) {
        String id = ledger.newId("probe");
        try (SmtpConversation c = SmtpConversation.open(port)) {
            c.read();
            c.ehlo("client.example.org");
            ledger.sent(id);
            if (c.send("MAIL FROM:<jane@example.org>").read().code() != 250) return false;
            SmtpConversation.Reply r = c.send("RCPT TO:<john@example.com>").read();
            if (r.code() != 250) {
                ledger.replied(id, SmtpLoad.label(r));
                return false;
            }
            if (c.send("DATA").read().code() != 354) return false;
            c.raw(SmtpLoad.message(id));
            r = c.read();
            ledger.replied(id, SmtpLoad.label(r));
            return r.code() == 250;
        } catch (Exception e) {
            return false;
        }
    }

    private static void admin(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(TestDatabases.POSTGRES_URL, TestDatabases.POSTGRES_USER, "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
