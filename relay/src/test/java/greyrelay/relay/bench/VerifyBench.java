package greyrelay.relay.bench;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.dns.CachingDns;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.verify.Verification;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Callback verification benchmark (not a test; prints figures). Real parts on loopback: H2 cache, fake DNS through
 * the caching resolver, scripted MX servers, the real scheduler and prober. See README.md, "Performance", for the
 * command and the figures.
 *
 * <ol>
 *   <li>verifications per second answered from the cache (one and two threads);</li>
 *   <li>inline probe latency p50/p99 against a healthy MX, alone and while a forged-sender flood (prefetches, as the
 *       greylisting hook starts them) hits a tarpitting domain; the ratio is the figure (target at most 1.2);</li>
 *   <li>heap used with 10,000 probes waiting in the scheduler;</li>
 *   <li>vouching (issue 18), through the whole relay over SMTP: 1,000 forged senders of a domain from 20 hosts outside
 *       its SPF record, then 20 fresh senders of it from its SPF host (target: 20 of 20 accepted) and 20 from an
 *       unlisted host (deferred); probe connections to its MX (target: at most its budget,
 *       {@code perDomainRate}).</li>
 * </ol>
 */
public final class VerifyBench {

    static final String DEFAULT_BUDGET = """
            verification:
              enabled: true
              maxWait: 5s
              timeouts: {inlineConnect: 2s, inlineReply: 5s, backgroundConnect: 5s, backgroundReply: 5m}
            recipientVerification:
              enabled: false
            """;

    /** The forged domain may queue 12,000 probes and is never frozen: every forged sender costs the most it can. */
    static final String WORST_CASE_BUDGET = """
            verification:
              enabled: true
              maxWait: 5s
              budget: {maxConcurrent: 50, maxQueued: 20000, perDomainConcurrency: 2, perDomainRate: 1000000,
                       perDomainQueue: 12000, perHostRate: 1000000, burstLocalParts: 1000000}
              timeouts: {inlineConnect: 2s, inlineReply: 5s, backgroundConnect: 5s, backgroundReply: 5m}
            recipientVerification:
              enabled: false
            """;

    static FakeDnsServer dns;
    static int domains;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("vouching")) { // relay/bench.sh verify vouching: that case alone
            vouching(Files.createTempDirectory("verify-bench-vouch"), "");
            vouching(Files.createTempDirectory("verify-bench-vouch"), "  vouch: []\n");
            return;
        }
        int probes = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path dir = Files.createTempDirectory("verify-bench");
        try (FakeDnsServer fake = FakeDnsServer.start();
                DownstreamSink sink = DownstreamSink.start();
                ScriptedMx healthy = ScriptedMx.start();
                ScriptedMx tarpit = ScriptedMx.start().tarpit();
                Database db = TestDatabases.h2(dir)) {
            dns = fake;
            dns.mx("forged.example", 10, "mx.forged.example").a("mx.forged.example", "192.0.2.66")
                    .mx("waiting.example", 10, "mx.forged.example");
            System.out.printf(Locale.ROOT, "greyrelay VerifyBench: %d cores, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
            Map<String, ScriptedMx> routes = Map.of("192.0.2.1", healthy, "192.0.2.66", tarpit);
            for (String[] scenario : new String[][] {{"default budget", DEFAULT_BUDGET}, {"worst case", WORST_CASE_BUDGET}}) {
                SimpleMeterRegistry metrics = new SimpleMeterRegistry();
                RelayConfig config = ConfigLoader.fromYamlLayers(List.of(RelayHarness.baseYaml(dir, dns.address().getPort(),
                        sink.port()), scenario[1]), Map.of());
                Clock clock = Clock.systemUTC();
                var resolver = new CachingDns(new DnsJavaResolver(List.of(dns.address()), Duration.ofSeconds(1), 1), clock,
                        Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), 100_000);
                try (Verification v = Verification.create(config, clock, resolver, db, metrics, ScriptedMx.routing(routes))) {
                    System.out.printf(Locale.ROOT, "-- %s --%n", scenario[0]);
                    if (scenario[1] == DEFAULT_BUDGET) cacheHits(v);
                    latency(v, probes, tarpit, scenario[0]);
                    if (scenario[1] == WORST_CASE_BUDGET) memory(v);
                    var dropped = metrics.find("greyrelay.verify.history.dropped").counter();
                    var refused = metrics.find("greyrelay.verify.budget.refusals").counters().stream()
                            .mapToDouble(c -> c.count()).sum();
                    System.out.printf(Locale.ROOT, "budget refusals %.0f; history rows dropped (bounded queue) %.0f%n", refused,
                            dropped == null ? 0 : dropped.count());
                }
            }
        }
        vouching(Files.createTempDirectory("verify-bench-vouch"), "");
        vouching(Files.createTempDirectory("verify-bench-vouch"), "  vouch: []\n");
    }

    static final String VOUCHED = "flooded.example";

    /** The forged domain's real mail during its flood, through the whole relay (default budget, SPF on). */
    static void vouching(Path dir, String verificationLines) throws Exception {
        Map<String, ScriptedMx> routes = new java.util.concurrent.ConcurrentHashMap<>();
        String yaml = """
                smtp: {proxyProtocol: true}
                greylist: {enabled: false}
                verification:
                  enabled: true
                """ + verificationLines + """
                  maxWait: 5s
                  budget: {perConnection: 1000}
                  timeouts: {inlineConnect: 2s, inlineReply: 5s, backgroundConnect: 5s, backgroundReply: 5m}
                recipientVerification:
                  enabled: false
                """;
        try (RelayHarness h = RelayHarness.start(dir, yaml, ScriptedMx.routing(routes));
                ScriptedMx mx = ScriptedMx.start().on("RCPT", line -> line.contains("<forged-"),
                        new ScriptedMx.Action.Reply("550 5.1.1 User unknown"), Integer.MAX_VALUE)) {
            routes.put("192.0.2.77", mx);
            h.dns.mx(VOUCHED, 10, "mx." + VOUCHED).a("mx." + VOUCHED, "192.0.2.77").txt(VOUCHED, "v=spf1 ip4:198.51.100.7 ~all");
            System.out.println("-- vouching" + (verificationLines.isEmpty() ? "" : " off (" + verificationLines.strip() + ")")
                    + ": 1,000 forged senders of " + VOUCHED + " from 20 hosts outside its SPF record --");
            long t0 = System.nanoTime();
            int forgedDeferred = 0;
            int n = 0;
            for (int host = 1; host <= 20; host++) {
                try (var c = greyrelay.relay.testing.SmtpConversation.openAs("203.0.113." + host, h.smtpPort())) {
                    c.expect(220);
                    c.ehlo("forger" + host + ".example.net");
                    for (int i = 0; i < 50; i++, n++) {
                        c.send("MAIL FROM:<forged-" + n + "@" + VOUCHED + ">").expect(250);
                        if (c.send("RCPT TO:<john@example.com>").read().code() >= 400) forgedDeferred++;
                        c.send("RSET").expect(250);
                    }
                }
            }
            double floodSeconds = (System.nanoTime() - t0) / 1e9;
            int probesDuringFlood = mx.connections();
            int realAccepted = 0;
            long[] realMs = new long[20];
            for (int i = 0; i < 20; i++) {
                long s0 = System.nanoTime();
                if (rcptOver(h, "198.51.100.7", "real-" + i + "@" + VOUCHED) == 250) realAccepted++;
                realMs[i] = (System.nanoTime() - s0) / 1_000_000;
            }
            int otherDeferred = 0;
            for (int i = 0; i < 20; i++) {
                if (rcptOver(h, "198.18.0.5", "other-" + i + "@" + VOUCHED) == 451) otherDeferred++;
            }
            java.util.Arrays.sort(realMs);
            int budget = 20; // verification.budget.perDomainRate, the default
            System.out.printf(Locale.ROOT, "flood: %.1f s, %d of 1000 forged senders deferred or refused; frozen: %b%n",
                    floodSeconds, forgedDeferred, h.relay.verification().isFrozen(VOUCHED));
            System.out.printf(Locale.ROOT, "real senders from the SPF host accepted during the flood: %d/20 (target 20/20);"
                    + " session p50 %d ms, max %d ms%n", realAccepted, realMs[10], realMs[19]);
            System.out.printf(Locale.ROOT, "senders from an unlisted host deferred 451 4.4.5: %d/20%n", otherDeferred);
            System.out.printf(Locale.ROOT, "probe connections to %s's MX: %d (budget: perDomainRate %d per minute; target <= budget);"
                    + " after the real senders: %d%n", VOUCHED, probesDuringFlood, budget, mx.connections());
        }
    }

    /** One transaction over SMTP from {@code clientIp}; the RCPT reply code (DATA sent when it was 250). */
    static int rcptOver(RelayHarness h, String clientIp, String sender) throws Exception {
        try (var c = greyrelay.relay.testing.SmtpConversation.openAs(clientIp, h.smtpPort())) {
            c.expect(220);
            c.ehlo("mail.example.net");
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            int code = c.send("RCPT TO:<john@example.com>").read().code();
            if (code == 250) c.data("Subject: bench\r\n\r\nhello\r\n");
            return code;
        }
    }

    /** A sender at a domain nobody probed yet, whose own MX host is the healthy scripted MX. */
    static String freshSender(String local) {
        int n = ++domains;
        String domain = "h" + n + ".example";
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, "192.0.2.1");
        return local + "@" + domain;
    }

    static PolicyRequest.Rcpt rcpt(String sender) {
        try {
            SessionFacts facts = new SessionFacts("bench", InetAddress.getByName("192.0.2.10"), 40000, Optional.of("client.example.org"),
                    false, java.time.Instant.now());
            Transaction tx = new Transaction("bench.1", new Sender.Address(Mailbox.parse(sender).orElseThrow()), OptionalLong.empty());
            return new PolicyRequest.Rcpt(facts, new SessionNotes(), tx, "john@example.com",
                    Mailbox.parse("john@example.com").orElseThrow(), EnumSet.noneOf(Exemption.class));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static void cacheHits(Verification v) throws Exception {
        String cached = freshSender("cached");
        Verdict first = v.senderCheck().evaluate(rcpt(cached));
        if (first != Verdict.CONTINUE) throw new IllegalStateException("warm-up probe failed: " + first);
        PolicyRequest.Rcpt request = rcpt(cached);
        for (int i = 0; i < 20_000; i++) v.senderCheck().evaluate(request); // warm-up
        for (int threads : new int[] {1, 2}) {
            int perThread = 50_000;
            List<Thread> workers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    PolicyRequest.Rcpt r = rcpt(cached);
                    for (int i = 0; i < perThread; i++) v.senderCheck().evaluate(r);
                }));
            }
            for (Thread w : workers) w.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "cache hits: %d thread(s): %,.0f verifications/s (%d in %.2f s, history rows written async)%n",
                    threads, threads * perThread / seconds, threads * perThread, seconds);
        }
    }

    static void latency(Verification v, int probes, ScriptedMx tarpit, String scenario) throws Exception {
        for (int i = 0; i < 400; i++) v.senderCheck().evaluate(rcpt(freshSender("warm" + i))); // JIT warm-up
        long[] alone = measure(v, "alone", probes);
        int tarpitBefore = tarpit.connections();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong forged = new AtomicLong();
        Thread flood = Thread.ofPlatform().start(() -> {
            long next = System.nanoTime();
            while (flooding.get()) {
                v.prefetch(rcpt("forged" + forged.incrementAndGet() + "@forged.example"));
                next += 1_000_000; // 1,000 forged senders per second
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        });
        Thread.sleep(2000);
        long[] flooded = measure(v, "flooded", probes);
        flooding.set(false);
        flood.join();
        System.out.printf(Locale.ROOT, "flood: %,d forged prefetches at ~1,000/s; %d connection(s) to the tarpit (cap 2); "
                + "forged.example waiting %d%n", forged.get(), tarpit.connections() - tarpitBefore,
                v.queue(100).busiest().stream().filter(d -> d.domain().equals("forged.example")).mapToInt(d -> d.waiting()).sum());
        System.out.printf(Locale.ROOT, "probe latency ratio flooded/alone (%s): p50 %.2f, p99 %.2f (target <= 1.2)%n", scenario,
                (double) flooded[0] / alone[0], (double) flooded[1] / alone[1]);
    }

    static long[] measure(Verification v, String label, int probes) {
        long[] micros = new long[probes];
        for (int i = 0; i < probes; i++) {
            PolicyRequest.Rcpt r = rcpt(freshSender(label + i));
            long t0 = System.nanoTime();
            Verdict verdict = v.senderCheck().evaluate(r);
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (verdict != Verdict.CONTINUE) throw new IllegalStateException(label + " probe " + i + ": " + verdict);
        }
        long[] sorted = micros.clone();
        java.util.Arrays.sort(sorted);
        long p50 = sorted[sorted.length / 2];
        long p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        System.out.printf(Locale.ROOT, "probe latency %-7s (healthy MX, %d inline probes): p50 %.2f ms, p99 %.2f ms%n", label, probes,
                p50 / 1000.0, p99 / 1000.0);
        return new long[] {p50, p99};
    }

    static void memory(Verification v) throws Exception {
        long before = usedAfterGc();
        int already = v.queue(1).waiting();
        for (int i = 0; i < 10_000; i++) v.prefetch(rcpt("waiting" + i + "@waiting.example"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (v.queue(1).waiting() < already + 10_000 && System.nanoTime() < deadline) Thread.sleep(50);
        int waiting = v.queue(1).waiting();
        long after = usedAfterGc();
        System.out.printf(Locale.ROOT, "memory: %,d probes waiting in all (%,d added for one tarpitted domain): heap +%.1f MB, %,d bytes per waiting probe%n",
                waiting, waiting - already, (after - before) / 1e6, (after - before) / Math.max(1, waiting - already));
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }
}
