package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeLeases;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay nodes in one JVM on one fresh PostgreSQL database, probing scripted MX servers (a tarpit, accept-all
 * ones): verification behaves as one relay's. A forged flood split over both nodes never holds more connections to the
 * victim than one per-domain cap; the per-domain probe rate is one bucket for both nodes; one fresh address asked on
 * both nodes at once is probed once; a lease left by a node that died is taken over after its expiry. Greylisting is on, so each first sight starts a background probe (the
 * flood's path). Skipped without PostgreSQL, failed with {@code REQUIRE_POSTGRES=1}.
 */
class VerificationTwoNodesTest {
    static final String YAML = """
            smtp:
              proxyProtocol: true
              maxConnections: 2000
            rateLimits:
              enabled: false
            verification:
              enabled: true
              maxWait: 2s
              timeouts: {inlineConnect: 1s, inlineReply: 2s, backgroundConnect: 2s, backgroundReply: 20s, probeTotal: 30s}
            """;
    /** probeTotal + the lease margin (Verification.LEASE_MARGIN). */
    static final Duration LEASE = Duration.ofSeconds(60);

    @TempDir
    static Path dirA;

    @TempDir
    static Path dirB;

    static Database db;
    static TestClock clock;
    static FakeDnsServer dns;
    static DownstreamSink sink;
    static RelayHarness nodeA;
    static RelayHarness nodeB;
    static final Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>();
    static final List<ScriptedMx> servers = new ArrayList<>();
    static final AtomicInteger clients = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabases.postgres();
        clock = new TestClock();
        dns = FakeDnsServer.start();
        sink = DownstreamSink.start();
        nodeA = RelayHarness.start(dirA, YAML, clock, dns, sink, db, ScriptedMx.routing(mxByIp));
        nodeB = RelayHarness.start(dirB, YAML, clock, dns, sink, db, ScriptedMx.routing(mxByIp));
    }

    @AfterAll
    static void stop() {
        servers.forEach(ScriptedMx::close);
        if (nodeB != null) nodeB.close();
        if (nodeA != null) nodeA.close();
        if (sink != null) sink.close();
        if (dns != null) dns.close();
        if (db != null) db.close();
    }

    static ScriptedMx mx(String domain, String ip, ScriptedMx server) {
        servers.add(server);
        mxByIp.put(ip, server);
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, ip);
        return server;
    }

    /** One client at {@code node}: MAIL FROM the sender, RCPT to a fresh recipient (a first sight: greylisted). */
    static void firstSight(RelayHarness node, String sender) throws Exception {
        int n = clients.incrementAndGet();
        try (SmtpConversation c = SmtpConversation.openAs("198.18." + n % 250 + "." + (1 + n / 250), node.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            c.send("RCPT TO:<rcpt" + n + "@example.com>").expect(451);
            c.send("QUIT").expect(221);
        }
    }

    static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within " + within);
            Thread.sleep(20);
        }
    }

    static double clusterRefusals(RelayHarness node) {
        var c = node.relay.metrics().find("greyrelay.verify.budget.refusals").tag("scope", "cluster").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void a_forged_flood_split_over_both_nodes_never_exceeds_one_per_domain_cap_at_the_tarpit() throws Exception {
        ScriptedMx tarpit = mx("tarpit.example", "198.51.100.66", ScriptedMx.start().tarpit());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                RelayHarness node = i % 2 == 0 ? nodeA : nodeB;
                String sender = "forged" + i + "@tarpit.example";
                sent.add(pool.submit(() -> {
                    firstSight(node, sender);
                    return null;
                }));
            }
            for (Future<?> f : sent) f.get();
        } finally {
            pool.shutdownNow();
        }
        await(() -> tarpit.openConnections() == 2, Duration.ofSeconds(10));
        Thread.sleep(1000); // anything the other node could still have started
        assertThat(tarpit.maxOpenConnections()).as("per-domain cap (2) over both nodes").isEqualTo(2);
        assertThat(clusterRefusals(nodeA) + clusterRefusals(nodeB)).as("a node found the shared cap used up").isPositive();
        assertThat(nodeA.relay.verification().queue(0).running() + nodeB.relay.verification().queue(0).running())
                .as("probes ran on both nodes at once, only the shared slots kept them off the wire").isGreaterThanOrEqualTo(2);
    }

    static double rateRefusals(RelayHarness node) {
        var c = node.relay.metrics().find("greyrelay.verify.budget.refusals").tag("scope", "domain-rate").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void the_per_domain_probe_rate_is_one_budget_for_both_nodes() throws Exception {
        // perDomainRate 20 per minute (the default); the test clock stands still, so no token comes back meanwhile
        ScriptedMx mx = mx("rate.example", "198.51.100.99", ScriptedMx.start());
        double refusedBefore = rateRefusals(nodeA) + rateRefusals(nodeB);
        for (int i = 0; i < 30; i++) {
            firstSight(i % 2 == 0 ? nodeA : nodeB, "sender" + i + "@rate.example");
            int sighted = i + 1;
            // one probe at a time (each sighting ends as a probe or a rate refusal): only the rate can refuse
            await(() -> mx.connections() + rateRefusals(nodeA) + rateRefusals(nodeB) - refusedBefore == sighted
                    && mx.openConnections() == 0, Duration.ofSeconds(10));
        }
        Thread.sleep(1000);
        assertThat(mx.connections()).as("20 probes in all: each node alone would have let 15 through").isEqualTo(20);
        assertThat(rateRefusals(nodeA) + rateRefusals(nodeB) - refusedBefore).as("refused by the shared rate").isEqualTo(10);
    }

    @Test
    void one_fresh_address_asked_on_both_nodes_at_the_same_moment_is_probed_once() throws Exception {
        // a slow greeting keeps the probe running while the other node asks
        ScriptedMx mx = mx("both.example", "198.51.100.77", ScriptedMx.start()
                .greeting(new ScriptedMx.Action.Drip("220 mx.both.example ESMTP\r\n", Duration.ofMillis(40))));
        String sender = "jane@both.example";
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> a = pool.submit(() -> {
                go.await();
                firstSight(nodeA, sender);
                return null;
            });
            Future<?> b = pool.submit(() -> {
                go.await();
                firstSight(nodeB, sender);
                return null;
            });
            go.countDown();
            a.get();
            b.get();
        } finally {
            pool.shutdownNow();
        }
        VerificationCache cache = new VerificationCache(db);
        await(() -> cache.find(CacheKind.SENDER, sender).isPresent(), Duration.ofSeconds(10));
        Thread.sleep(1000);
        assertThat(mx.connections()).isEqualTo(1);
        assertThat(new ProbeLeases(db).find("probe:" + sender)).as("the lease was given back").isEmpty();
    }

    @Test
    void a_lease_of_a_node_that_died_is_taken_over_after_its_expiry() throws Exception {
        ScriptedMx mx = mx("orphan.example", "198.51.100.88", ScriptedMx.start());
        String sender = "joe@orphan.example";
        // node "a" took the lease and was killed before it probed or gave it back
        Instant now = clock.instant();
        assertThat(new ProbeLeases(db).take("probe:" + sender, "node-a-killed", now, now.plus(LEASE))).isTrue();

        firstSight(nodeB, sender);
        Thread.sleep(1000);
        assertThat(mx.connections()).as("B waits for the live lease, does not probe").isZero();

        clock.advance(LEASE);
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (mx.connections() == 0 && System.nanoTime() < end) {
            firstSight(nodeB, sender); // B's watch of the dead lease ends at its next look; then B probes
            Thread.sleep(300);
        }
        assertThat(mx.connections()).isEqualTo(1);
        VerificationCache cache = new VerificationCache(db);
        await(() -> cache.find(CacheKind.SENDER, sender).isPresent(), Duration.ofSeconds(10));
        // the prober stores the answer, then the domain's profile, then gives the lease back
        await(() -> new ProbeLeases(db).find("probe:" + sender).isEmpty(), Duration.ofSeconds(10));
    }
}
