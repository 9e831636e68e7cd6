package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4, disk full: {@code queue.minFreeSpace} set above what the spool's file system has free (restart), then
 * lowered again (restart). While "full" every transaction ends {@code 451 4.3.0} at end of DATA, never {@code 250}
 * (a 250 there would be a message not on disk); mail acknowledged before and after is delivered.
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DiskFullProcessIT {
    @TempDir
    Path dir;

    @Test
    void a_full_spool_answers_451_and_recovers() throws Exception {
        Duration phase = FaultParams.duration("disk.phase", "3s");
        Ledger ledger = new Ledger("disk-full");
        Ledger full = new Ledger("disk-full-while-full");
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start()) {
            String yaml = FaultRelay.baseYaml(dir, dns, sink);
            try (RelayProcess relay = FaultRelay.start(dir, yaml)) {
                run(ledger, relay, phase);
                relay.rewriteConfig(yaml.replace("minFreeSpace: 1MB", "minFreeSpace: 100000GB"));
                relay.restart();
                run(full, relay, phase);
                relay.rewriteConfig(yaml);
                relay.restart();
                run(ledger, relay, phase);
                ledger.awaitDelivered(sink, Duration.ofSeconds(60));
                String fullLine = full.line(sink, "");
                String line = ledger.line(sink, "whileFull=" + full.counts(sink).replies());

                assertThat(full.counts(sink).sent()).as("scenario disk-full: nothing sent while full").isPositive();
                assertThat(full.outcomes()).as("scenario disk-full: while full, every transaction gets 451 4.3.0\n" + fullLine)
                        .allSatisfy((id, reply) -> assertThat(reply).as(id).isEqualTo("451 4.3.0"));
                assertThat(full.deliveries(sink)).as("scenario disk-full: delivered while refused\n" + fullLine).isEmpty();
                assertThat(ledger.lost(sink)).as(ledger.lostMessage(sink) + "\n" + line).isEmpty();
                assertThat(ledger.outcomes().values()).as("scenario disk-full: before and after, all accepted\n" + line)
                        .allMatch(r -> r.equals("250") || r.equals(Ledger.NONE));
            }
        }
    }

    private static void run(Ledger ledger, RelayProcess relay, Duration phase) throws Exception {
        SmtpLoad load = SmtpLoad.start(ledger, relay.smtpPort(), 4, "p");
        Thread.sleep(phase.toMillis());
        load.close();
    }
}
