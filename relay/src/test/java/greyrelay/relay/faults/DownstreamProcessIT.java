package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2, downstream gone: down (connections refused), then answering {@code 421} and {@code 451} to every
 * message, each for longer than the first retry interval ({@code queue.retrySchedule: [1s]}) while load continues.
 * Acknowledged mail waits in the spool, nothing is bounced (no null-sender message reaches the downstream), and
 * everything is delivered once the downstream is back.
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DownstreamProcessIT {
    @TempDir
    Path dir;

    @Test
    void acknowledged_mail_waits_for_a_downstream_that_is_gone_or_deferring() throws Exception {
        Duration outage = FaultParams.duration("downstream.outage", "4s");
        Ledger ledger = new Ledger("downstream-gone");
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayProcess relay = FaultRelay.start(dir, FaultRelay.baseYaml(dir, dns, sink))) {
            SmtpLoad load = SmtpLoad.start(ledger, relay.smtpPort(), 4, "d");
            sink.down();
            Thread.sleep(outage.toMillis());
            int duringDown = sink.received().size();
            sink.up();
            sink.replyToData("421 4.3.0 downstream.example.com closing");
            Thread.sleep(outage.toMillis());
            sink.replyToData("451 4.3.0 try again later");
            Thread.sleep(outage.toMillis());
            int duringDeferrals = sink.received().size();
            sink.replyToData(null);
            load.close();
            ledger.awaitDelivered(sink, Duration.ofSeconds(60));
            long bounces = sink.received().stream().filter(r -> r.sender() == null || r.sender().isEmpty()).count();
            String line = ledger.line(sink, "outage=" + outage.multipliedBy(3).toSeconds() + "s bounces=" + bounces);

            assertThat(duringDown + duringDeferrals).as("scenario downstream-gone: the sink took mail while gone\n" + line).isZero();
            assertThat(ledger.lost(sink)).as(ledger.lostMessage(sink) + "\n" + line).isEmpty();
            assertThat(ledger.counts(sink).acknowledged()).as("scenario downstream-gone: nothing acknowledged\n" + line).isPositive();
            assertThat(bounces).as("scenario downstream-gone: bounces (DSNs) sent\n" + line).isZero();
            assertThat(ledger.withReplyClass('5')).as("scenario downstream-gone: 5xx to clients\n" + line).isEmpty();
        }
    }
}
