package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 5, DNS gone: the fake DNS stops answering anything. Clients whose mail needs DNS (SPF) get {@code 451}
 * within the deadlines ({@code dns.timeout}, {@code spf.deadline}), a whitelisted client (127.0.0.2) goes on getting
 * {@code 250}, the relay's thread count stays flat, and answers are normal again once DNS is back.
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DnsProcessIT {
    @TempDir
    Path dir;

    @Test
    void checks_needing_dns_defer_within_their_deadlines_whitelisted_clients_unaffected() throws Exception {
        Duration outage = FaultParams.duration("dns.outage", "6s");
        Duration spfDeadline = Duration.ofSeconds(3);
        Files.writeString(dir.resolve("clients.txt"), "127.0.0.2\n");
        Ledger strangers = new Ledger("dns-gone-strangers");
        Ledger whitelisted = new Ledger("dns-gone-whitelisted");
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayProcess relay = FaultRelay.start(dir, FaultRelay.baseYaml(dir, dns, sink)
                        .replace("greylist:\n  enabled: false\n", "greylist:\n  enabled: false\n  whitelistFiles: [\"clients:"
                                + dir.resolve("clients.txt") + "\"]\nspf:\n  deadline: " + spfDeadline.toSeconds() + "s\n"))) {
            // warm up with DNS answering: both kinds of client get 250
            Ledger warm = new Ledger("dns-warm");
            SmtpLoad w = SmtpLoad.start(warm, relay.smtpPort(), 2, "w");
            Thread.sleep(1500);
            w.close();
            int threadsBefore = relay.threads();

            dns.silent(true);
            // a new sender domain per message: nothing about it is cached, so its SPF check needs DNS
            SmtpLoad s = SmtpLoad.start(strangers, relay.smtpPort(), 8, "s", null, id -> "jane@" + id + ".example.org");
            SmtpLoad wl = SmtpLoad.start(whitelisted, relay.smtpPort(), 2, "wl", InetAddress.getByName("127.0.0.2"));
            Thread.sleep(outage.toMillis());
            int threadsDuring = relay.threads();
            s.close();
            wl.close();
            dns.silent(false);

            Ledger after = new Ledger("dns-back");
            SmtpLoad a = SmtpLoad.start(after, relay.smtpPort(), 2, "a");
            Thread.sleep(2000);
            a.close();
            whitelisted.awaitDelivered(sink, Duration.ofSeconds(30));
            after.awaitDelivered(sink, Duration.ofSeconds(30));
            warm.awaitDelivered(sink, Duration.ofSeconds(30));
            String line = strangers.line(sink, "threadsBefore=" + threadsBefore + " threadsDuring=" + threadsDuring
                    + " slowestReplyMs=" + s.slowestReplyMs + " whitelisted=" + whitelisted.brief(sink) + " whitelistedSlowestReplyMs="
                    + wl.slowestReplyMs + " afterDnsBack=" + after.brief(sink));
            String wlLine = line;
            String afterLine = line;

            assertThat(strangers.outcomes()).as("scenario dns-gone: strangers get 451 while DNS is gone\n" + line).isNotEmpty()
                    .allSatisfy((id, reply) -> assertThat(reply).as(id).startsWith("451"));
            assertThat(s.slowestReplyMs.get()).as("scenario dns-gone: a reply took longer than spf.deadline + 2 s\n" + line)
                    .isLessThan(spfDeadline.toMillis() + 2000);
            assertThat(whitelisted.counts(sink).acknowledged()).as("scenario dns-gone: whitelisted client served\n" + wlLine).isPositive();
            assertThat(whitelisted.outcomes().values()).as("scenario dns-gone: whitelisted client affected\n" + wlLine)
                    .allMatch(r -> r.equals("250") || r.equals(Ledger.NONE));
            assertThat(whitelisted.lost(sink)).as(whitelisted.lostMessage(sink)).isEmpty();
            assertThat(threadsDuring).as("scenario dns-gone: thread pile-up\n" + line).isLessThan(threadsBefore + 60);
            assertThat(after.counts(sink).acknowledged()).as("scenario dns-gone: normal after DNS is back\n" + afterLine).isPositive();
            assertThat(after.lost(sink)).as(after.lostMessage(sink)).isEmpty();
            assertThat(warm.lost(sink)).as(warm.lostMessage(sink)).isEmpty();
        }
    }
}
