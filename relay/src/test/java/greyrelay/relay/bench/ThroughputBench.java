package greyrelay.relay.bench;

import greyrelay.relay.queue.Spool;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import greyrelay.relay.testing.ScriptedMx;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput benchmark (not a test): N parallel SMTP sessions send 1 KiB messages through a whole relay (H2, spool
 * with fsync, delivery) into a fast sink. Prints accepted msgs/s, end-to-end msgs/s, p50/p99 of end-of-DATA → 250,
 * the spool's syncs per accepted message and its commit batch sizes, and the peak RSS of this JVM (relay, clients and
 * sink together).
 *
 * <p>Run: {@code relay/bench.sh throughput [sessions] [messagesPerSession] [plain|full]}: {@code plain} has greylisting,
 * verification and SPF off; {@code full} has them all on in steady state (the triplet already passed, the sender
 * verified and cached, the recipient verified against the sink, SPF pass), like the Postfix reference load.
 */
public final class ThroughputBench {
    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int perSession = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        boolean full = args.length > 2 && args[2].equals("full");
        String extra = full ? """
                greylist: {enabled: true, defaultWhitelist: false}
                verification: {enabled: true}
                recipientVerification: {enabled: true}
                spf: {enabled: true}
                """ : """
                greylist: {enabled: false}
                verification: {enabled: false}
                recipientVerification: {enabled: false}
                spf: {enabled: false}
                """;
        Path dir = Files.createTempDirectory("greyrelay-bench");
        String body = "From: " + Examples.JANE + "\r\nTo: " + Examples.JOHN + "\r\nSubject: bench\r\n\r\n"
                + ("x".repeat(70) + "\r\n").repeat(13);
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
        try (ScriptedMx senderMx = ScriptedMx.start();
                RelayHarness h = RelayHarness.start(dir, extra + "\nsmtp:\n  maxConnectionsPerIp: 1000\n  maxConnections: 2000\n"
                + "queue:\n  workers: 32\n"
                // one loopback client sends everything: per-client limits would measure the limiter, not the relay
                + "rateLimits:\n  enabled: false\n"
                // -Dbench.yaml="downstream: {connectionCacheTime: 0s}" tries another setting
                + System.getProperty("bench.yaml", ""), ScriptedMx.routing(mxByIp))) {
            mxByIp.put("192.0.2.53", senderMx);
            h.dns.mx(Examples.SENDER_DOMAIN, 10, "mx." + Examples.SENDER_DOMAIN).a("mx." + Examples.SENDER_DOMAIN, "192.0.2.53")
                    .txt(Examples.SENDER_DOMAIN, "v=spf1 ip4:127.0.0.0/8 -all");
            if (full) {
                // steady state: the first attempt is greylisted (and starts the sender's probe); after the delay it passes
                try (SmtpConversation c = h.connect()) {
                    c.expect(220);
                    c.ehlo(Examples.HELO);
                    c.send("MAIL FROM:<" + Examples.JANE + ">").expect(250);
                    c.send("RCPT TO:<" + Examples.JOHN + ">").expect(451);
                }
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (senderMx.connections() == 0 && System.nanoTime() < until) Thread.sleep(10);
                Thread.sleep(200);
                h.clock.advance(Duration.ofMinutes(6));
            }
            // warm-up: JIT, connection paths, H2
            run(h.smtpPort(), Math.min(4, sessions), 50, body, new ConcurrentLinkedQueue<>());
            awaitDelivered(h, Math.min(4, sessions) * 50L);
            int before = h.downstream.received().size();

            ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
            Spool.CommitStats spoolBefore = h.relay.spool().commitStats();
            long t0 = System.nanoTime();
            long cpu0 = PolicyBench.cpuNanos(null);
            run(h.smtpPort(), sessions, perSession, body, latencies);
            long accepted = System.nanoTime();
            long total = (long) sessions * perSession;
            awaitDelivered(h, before + total);
            // end of the run: delivered, and the decision log, probe history and greylist writes caught up (a writer
            // that fell behind is paid for inside the measured time and CPU)
            h.relay.decisions().flush();
            h.relay.verification().flushHistory();
            h.relay.greylisting().flush();
            long delivered = System.nanoTime();
            long cpu = PolicyBench.cpuNanos(null) - cpu0;
            Spool.CommitStats spoolAfter = h.relay.spool().commitStats();

            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            double acceptedRate = total / ((accepted - t0) / 1e9);
            double e2eRate = total / ((delivered - t0) / 1e9);
            System.out.printf("%s: sessions=%d messages=%d size=%dB (sender probes: %d)%n", full ? "full (greylisting, verification, SPF on)"
                    : "plain (checks off)", sessions, total, body.length(), senderMx.connections());
            System.out.printf("accepted: %.0f msgs/s   end to end (delivered by the sink): %.0f msgs/s%n", acceptedRate, e2eRate);
            System.out.printf("end of DATA -> 250: p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", pct(l, 50), pct(l, 99), l.get(l.size() - 1) / 1e6);
            // less sensitive to a loaded machine than the rates: relay, clients and sink together
            System.out.printf("CPU per message (this JVM: relay + clients + sink): %.0f µs%n", cpu / 1e3 / total);
            printSpool(spoolBefore, spoolAfter);
            var m = h.relay.metrics();
            System.out.printf("rows dropped by full write queues: decision log %.0f, probe history %.0f, greylist %.0f%n",
                    m.counter("greyrelay.decisions.dropped").count(), m.counter("greyrelay.verify.history.dropped").count(),
                    m.counter("greyrelay.greylist.writes.dropped").count());
            System.out.printf("peak RSS (whole JVM: relay + %d clients + sink): %s%n", sessions, peakRss());
            printDeliveryConcurrency(h);

            // the same load straight into the sink, no relay: what the clients, the sink and loopback cost on these cores
            long s0 = System.nanoTime();
            long sinkCpu0 = PolicyBench.cpuNanos(null);
            run(h.downstream.port(), sessions, perSession, body, new ConcurrentLinkedQueue<>());
            double sinkRate = total / ((System.nanoTime() - s0) / 1e9);
            System.out.printf("bench ceiling (the same clients straight into the sink, no relay): %.0f msgs/s, %.0f µs CPU per message%n",
                    sinkRate, (PolicyBench.cpuNanos(null) - sinkCpu0) / 1e3 / total);
        }
    }

    /**
     * The load: {@code sessions} parallel SMTP sessions to {@code port}, each sending {@code perSession} messages of
     * {@code body}; the end of DATA → reply latency of each goes into {@code latencies} (PostfixBench sends the same).
     */
    static void run(int port, int sessions, int perSession, String body, ConcurrentLinkedQueue<Long> latencies)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(sessions);
        AtomicInteger failures = new AtomicInteger();
        for (int s = 0; s < sessions; s++) {
            Thread.ofVirtual().start(() -> {
                try (SmtpConversation c = SmtpConversation.open(port)) {
                    c.expect(220);
                    c.ehlo(Examples.HELO);
                    for (int i = 0; i < perSession; i++) {
                        c.send("MAIL FROM:<" + Examples.JANE + ">").expect(250);
                        c.send("RCPT TO:<" + Examples.JOHN + ">").expect(250);
                        c.send("DATA").expect(354);
                        byte[] msg = (body + ".\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                        long t = System.nanoTime();
                        c.raw(msg);
                        var r = c.read();
                        latencies.add(System.nanoTime() - t);
                        if (r.code() != 250) failures.incrementAndGet();
                    }
                    c.send("QUIT").expect(221);
                } catch (Exception e) {
                    failures.incrementAndGet();
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        if (failures.get() > 0) throw new IllegalStateException(failures.get() + " failures");
    }

    private static void awaitDelivered(RelayHarness h, long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (h.downstream.received().size() < n) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("not delivered in time");
            Thread.sleep(2);
        }
    }

    /** Syncs per accepted message and the group commit's batch sizes, over the measured run. */
    private static void printSpool(Spool.CommitStats before, Spool.CommitStats after) {
        long accepted = after.accepted() - before.accepted();
        long acceptSyncs = after.acceptSyncs() - before.acceptSyncs();
        long allSyncs = acceptSyncs + after.removalSyncs() - before.removalSyncs() + after.directorySyncs() - before.directorySyncs();
        System.out.printf("spool syncs per accepted message: %.3f on the accept path (%d for %d messages), %.3f with removals and"
                + " state files%n", acceptSyncs / (double) accepted, acceptSyncs, accepted, allSyncs / (double) accepted);
        long[] sizes = new long[after.acceptBatchSizes().length];
        long batches = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = after.acceptBatchSizes()[i] - before.acceptBatchSizes()[i];
            batches += sizes[i];
        }
        StringBuilder dist = new StringBuilder();
        for (int lo = 1; lo < sizes.length; lo *= 2) {
            int hi = Math.min(sizes.length - 1, lo * 2 - 1);
            long n = 0;
            for (int i = lo; i <= hi; i++) n += sizes[i];
            if (n > 0) dist.append(String.format("  %s: %d", lo == hi ? lo : lo + "-" + hi, n));
        }
        System.out.printf("commit batches: %d, mean %.1f messages;%s%n", batches, accepted / (double) Math.max(1, batches), dist);
    }

    /** The {@code p}th percentile of sorted nanoseconds, in milliseconds. */
    static double pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /** Delivery in parallel (downstream.maxConnections): the most downstream conversations carrying a transaction at once. */
    private static void printDeliveryConcurrency(RelayHarness h) {
        var c = h.relay.queue().deliveryConcurrency();
        System.out.printf("delivery concurrency: at most %d downstream connections delivering at once (downstream.maxConnections %d)%n",
                c.peak(), h.relay.config().downstream().maxConnections());
    }

    static String peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return line.substring(6).trim();
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return "n/a";
    }
}
