package greyrelay.relay.bench;

import greyrelay.relay.address.Sender;
import greyrelay.relay.queue.Envelope;
import greyrelay.relay.queue.RecipientState;
import greyrelay.relay.queue.Spool;
import greyrelay.relay.testing.Examples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The spool alone (not a test): N threads each commit M messages of 1 KiB, as sessions at end of DATA do, and remove
 * each one again as delivery would. No SMTP, no database: what the disk allows, with little CPU. Prints commits/s,
 * commit latency p50/p99 and the spool's syncs per message and batch sizes.
 *
 * <p>Run: {@code relay/bench.sh spool [threads] [messagesPerThread]}.
 */
public final class SpoolBench {
    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path dir = Files.createTempDirectory("greyrelay-spoolbench");
        byte[] body = (Examples.message("bench") + ("x".repeat(70) + "\r\n").repeat(13)).getBytes(StandardCharsets.US_ASCII);
        Spool spool = new Spool(dir, Clock.systemUTC(), 0);
        spool.recover();
        run(spool, Math.min(threads, 4), 50, body, new ConcurrentLinkedQueue<>()); // warm-up
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long t0 = System.nanoTime();
        run(spool, threads, perThread, body, latencies);
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Long> l = new ArrayList<>(latencies);
        Collections.sort(l);
        System.out.printf("spool: threads=%d messages=%d size=%dB%n", threads, l.size(), body.length);
        System.out.printf("committed and removed: %.0f msgs/s   commit p50 %.2f ms  p99 %.2f ms%n", l.size() / seconds,
                l.get(l.size() / 2) / 1e6, l.get((int) (l.size() * 0.99)) / 1e6);
        Spool.CommitStats s = spool.commitStats();
        System.out.printf("syncs per message: %.3f on the accept path, %.3f with removals; mean commit batch %.1f%n",
                s.acceptSyncs() / (double) s.accepted(), (s.acceptSyncs() + s.removalSyncs() + s.directorySyncs()) / (double) s.accepted(),
                s.accepted() / (double) java.util.Arrays.stream(s.acceptBatchSizes()).sum());
        spool.close();
    }

    private static void run(Spool spool, int threads, int perThread, byte[] body, ConcurrentLinkedQueue<Long> latencies)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        Envelope committed;
                        try (Spool.Incoming in = spool.begin()) {
                            in.out().write(body);
                            Instant now = Instant.now();
                            Envelope e = new Envelope(in.id(), Sender.parse(Examples.JANE).orElseThrow(),
                                    List.of(RecipientState.pending(Examples.JOHN)), new Envelope.Arrival(now,
                                            new Envelope.Origin.Smtp(Examples.CLIENT_IP, Examples.HELO, "S1"), body.length, List.of()),
                                    Envelope.Schedule.first(now, Duration.ofDays(5)));
                            long start = System.nanoTime();
                            committed = in.commit(e);
                            latencies.add(System.nanoTime() - start);
                        }
                        spool.delete(committed.id());
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
    }
}
