package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1, SIGKILL under load: 16 sessions send continuously; the relay is killed with SIGKILL at a random moment
 * three times and restarted each time. Every message answered 250 is delivered; a message delivered twice must have
 * been in flight downstream at a kill (the downstream had it, the relay had not yet recorded that).
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KillProcessIT {
    /** A delivery the downstream accepted this close before the kill may not be recorded by the relay yet. */
    static final Duration IN_FLIGHT_WINDOW = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_message_survives_three_sigkills() throws Exception {
        int sessions = FaultParams.count("kill.sessions", 16);
        Duration minRun = FaultParams.duration("kill.minRun", "1s");
        Duration maxRun = FaultParams.duration("kill.maxRun", "3s");
        long seed = Long.getLong("faults.seed", System.nanoTime());
        Random random = new Random(seed);
        Ledger ledger = new Ledger("sigkill");
        List<Long> kills = new ArrayList<>();
        List<Integer> openAtKill = new ArrayList<>();
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayProcess relay = FaultRelay.start(dir, FaultRelay.baseYaml(dir, dns, sink))) {
            SmtpLoad load = SmtpLoad.start(ledger, relay.smtpPort(), sessions, "s");
            for (int k = 0; k < 3; k++) {
                long run = minRun.toMillis() + (long) (random.nextDouble() * (maxRun.toMillis() - minRun.toMillis()));
                Thread.sleep(run);
                openAtKill.add(sink.openTransactions().size());
                kills.add(System.nanoTime());
                relay.kill();
                relay.restart();
            }
            Thread.sleep(minRun.toMillis());
            load.close();
            ledger.awaitDelivered(sink, Duration.ofSeconds(60));

            // deliveries in flight at each kill: downstream transactions begun before it and accepted at most the window before it
            List<Integer> inFlight = new ArrayList<>();
            Set<String> inFlightIds = new TreeSet<>();
            for (long kill : kills) {
                int n = 0;
                for (DownstreamSink.Timed t : sink.timed()) {
                    if (t.startNanos() < kill && t.acceptedNanos() > kill - IN_FLIGHT_WINDOW.toNanos()) {
                        n++;
                        String id = Ledger.idOf(t.received());
                        if (id != null) inFlightIds.add(id);
                    }
                }
                inFlight.add(n);
            }
            Map<String, Integer> copies = ledger.deliveries(sink);
            List<String> twice = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            int inFlightTotal = inFlight.stream().mapToInt(Integer::intValue).sum();
            String line = ledger.line(sink, "kills=3 inFlightAtKills=" + inFlight + " openDownstreamAtKills=" + openAtKill + " seed=" + seed);

            assertThat(ledger.lost(sink)).as(ledger.lostMessage(sink) + "\n" + line).isEmpty();
            assertThat(ledger.counts(sink).acknowledged()).as("scenario sigkill: some mail was acknowledged\n" + line).isPositive();
            assertThat(ledger.withReplyClass('5')).as("scenario sigkill: 5xx replies\n" + line).isEmpty();
            assertThat(twice).as("scenario sigkill: delivered twice but not in flight at a kill\n" + line)
                    .allSatisfy(id -> assertThat(inFlightIds).contains(id));
            assertThat(twice.size()).as("scenario sigkill: duplicates %s exceed deliveries in flight %s\n%s", twice, inFlight, line)
                    .isLessThanOrEqualTo(inFlightTotal);
        }
    }
}
