package greyrelay.relay.faults;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 6, slowloris: many connections (faults.slowloris.connections: 300 in CI, 2,000 by hand) that send one
 * byte per interval and never finish a command. New clients are still greeted and served within 1 s, and the slow
 * ones are cut at {@code smtp.commandTimeout} (the relay's {@code CommandDeadline}: the library's socket read timeout,
 * which each byte resets, never cut them).
 */
@Tag("faults")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlowlorisProcessIT {
    @TempDir
    Path dir;

    @Test
    void slow_connections_are_cut_at_the_command_timeout_and_new_clients_are_served() throws Exception {
        int connections = FaultParams.count("slowloris.connections", 300);
        Duration commandTimeout = FaultParams.duration("slowloris.commandTimeout", "4s");
        Duration byteInterval = FaultParams.duration("slowloris.byteInterval", "1s");
        Ledger ledger = new Ledger("slowloris");
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.start();
                RelayProcess relay = FaultRelay.start(dir, FaultRelay.baseYaml(dir, dns, sink)
                        .replace("commandTimeout: 30s", "commandTimeout: " + commandTimeout.toMillis() + "ms"))) {
            List<Socket> slow = new ArrayList<>();
            ConcurrentLinkedQueue<Long> heldMs = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            List<Thread> drips = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < connections; i++) {
                Socket s = new Socket();
                try {
                    s.connect(new InetSocketAddress("127.0.0.1", relay.smtpPort()), 5000);
                } catch (IOException e) {
                    refused.incrementAndGet();
                    continue;
                }
                slow.add(s);
                drips.add(Thread.ofVirtual().start(() -> drip(s, byteInterval, commandTimeout.multipliedBy(3), heldMs)));
            }
            long opened = (System.nanoTime() - t0) / 1_000_000;
            // while they drip: good clients one after another, each message timed
            SmtpLoad good = SmtpLoad.start(ledger, relay.smtpPort(), 2, "g");
            Thread.sleep(commandTimeout.toMillis() + 2000);
            good.close();
            for (Thread t : drips) t.join(commandTimeout.multipliedBy(4).toMillis());
            ledger.awaitDelivered(sink, Duration.ofSeconds(30));
            long maxHeld = heldMs.stream().mapToLong(Long::longValue).max().orElse(-1);
            long minHeld = heldMs.stream().mapToLong(Long::longValue).filter(ms -> ms >= 0).min().orElse(-1);
            long notCut = heldMs.stream().filter(ms -> ms < 0).count();
            String line = ledger.line(sink, "slowConnections=" + connections + " openedInMs=" + opened + " refused=" + refused
                    + " notCut=" + notCut + " shortestHeldMs=" + minHeld + " longestHeldMs=" + maxHeld + " slowestGoodReplyMs=" + good.slowestReplyMs);

            assertThat(notCut).as("scenario slowloris: slow connections never cut\n" + line).isZero();
            // the relay looks for overdue connections every second at most: cut within timeout + 1 s, + 2 s for a busy machine
            assertThat(maxHeld).as("scenario slowloris: slow connections held past smtp.commandTimeout + 3 s\n" + line)
                    .isLessThan(commandTimeout.toMillis() + 3000);
            assertThat(minHeld).as("scenario slowloris: slow connections cut before smtp.commandTimeout\n" + line)
                    .isGreaterThanOrEqualTo(commandTimeout.toMillis() - 500); // our clock starts a little after the relay's
            assertThat(good.slowestReplyMs.get()).as("scenario slowloris: a good client waited over 1 s for a reply\n" + line).isLessThan(1000);
            assertThat(ledger.counts(sink).acknowledged()).as("scenario slowloris: good clients served\n" + line).isPositive();
            assertThat(ledger.lost(sink)).as(ledger.lostMessage(sink)).isEmpty();
            for (Socket s : slow) s.close();
        }
    }

    /** Reads the banner, then sends one byte of "EHLO ..." per interval; records how long until the server closed (-1: never). */
    private static void drip(Socket s, Duration interval, Duration giveUp, ConcurrentLinkedQueue<Long> heldMs) {
        long start = System.nanoTime();
        byte[] ehlo = "EHLO slow.example.org".getBytes();
        try {
            s.setSoTimeout((int) interval.toMillis());
            InputStream in = s.getInputStream();
            int i = 0;
            while (System.nanoTime() - start < giveUp.toNanos()) {
                try {
                    int n = in.read(new byte[4096]);
                    if (n < 0) {
                        heldMs.add((System.nanoTime() - start) / 1_000_000);
                        return;
                    }
                } catch (java.net.SocketTimeoutException e) {
                    s.getOutputStream().write(ehlo[i++ % ehlo.length]);
                    s.getOutputStream().flush();
                }
            }
            heldMs.add(-1L);
        } catch (IOException e) {
            heldMs.add((System.nanoTime() - start) / 1_000_000); // reset by the server: cut
        } finally {
            try {
                s.close();
            } catch (IOException e) {
                // done
            }
        }
    }
}
