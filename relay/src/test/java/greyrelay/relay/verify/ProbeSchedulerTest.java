package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduler driven directly: structure (who runs, who waits, who is refused), never durations. */
class ProbeSchedulerTest {

    final TestClock clock = new TestClock();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final List<AutoCloseable> closeLast = new ArrayList<>();
    ProbeScheduler scheduler;

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) scheduler.close();
        for (AutoCloseable c : closeLast) c.close();
    }

    static ProbeScheduler.Limits limits(int maxConcurrent, int perDomain, int perDomainQueue, int maxQueued, int rate) {
        return new ProbeScheduler.Limits(maxConcurrent, maxQueued, perDomain, rate, Duration.ofMinutes(1), perDomainQueue,
                100, 1000, Duration.ofMinutes(1), 1_000_000, Duration.ofMinutes(10), Duration.ofHours(1));
    }

    ProbeScheduler scheduler(ProbeScheduler.Limits limits) {
        scheduler = new ProbeScheduler(limits, clock, metrics);
        return scheduler;
    }

    static ProbeTarget target(String host, String ip) {
        try {
            return new ProbeTarget(host, 10, java.net.InetAddress.getByName(ip));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A task that runs until released, and records that it started. */
    static class Gate implements ProbeScheduler.Task {
        final String name;
        final List<String> log;
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<String> ended = new CompletableFuture<>();

        Gate(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void run(HostGate gate) {
            log.add(name);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.complete("ran");
        }

        @Override
        public void dropped(String why) {
            ended.complete("dropped: " + why);
        }
    }

    @Test
    void with_a_tarpitting_domain_and_1000_forged_senders_queued_a_probe_for_another_domain_starts_at_once() throws Exception {
        FakeDnsServer dns = FakeDnsServer.start();
        ScriptedMx tarpit = ScriptedMx.start().tarpit();
        ScriptedMx healthy = ScriptedMx.start();
        closeLast.add(dns);
        closeLast.add(healthy);
        closeLast.add(tarpit);
        dns.mx("forged.example", 10, "mx.forged.example").a("mx.forged.example", "192.0.2.66")
                .mx("example.org", 10, "mx.example.org").a("mx.example.org", "192.0.2.1");
        Prober prober = new Prober(new MxSelection(new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(500), 1),
                new Random(1), () -> false, VerifyRig.DEFAULT_REFUSED), ScriptedMx.routing(Map.of("192.0.2.66", tarpit, "192.0.2.1", healthy)),
                new Prober.Settings("mx.example.com", "", 3), new Random(1));
        ClientLimits background = new ClientLimits(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30), 2048, 100);
        scheduler(limits(10, 2, 1000, 10_000, 100_000));
        List<ProbeScheduler.Admission> forged = new ArrayList<>();

        for (int i = 0; i < 1000; i++) {
            Mailbox victim = new Mailbox("forged" + i, "forged.example");
            forged.add(scheduler.submit("forged.example", victim.localPart(), task(() -> prober.probe(victim,
                    new Prober.Plan(background, false, false, scheduler.hostGate())))));
        }
        CompletableFuture<ProbeOutcome> legit = new CompletableFuture<>();
        Mailbox jane = new Mailbox("jane", "example.org");
        ProbeScheduler.Admission admission = scheduler.submit("example.org", "jane", task(() -> {
            ProbeOutcome o = prober.probe(jane, new Prober.Plan(background, false, false, scheduler.hostGate()));
            legit.complete(o);
            return o;
        }));

        assertThat(admission).isEqualTo(new ProbeScheduler.Admission.Started());
        assertThat(legit.get(10, TimeUnit.SECONDS).result()).isInstanceOf(ProbeResult.Deliverable.class);
        assertThat(forged.subList(0, 2)).containsOnly(new ProbeScheduler.Admission.Started());
        assertThat(forged.subList(2, 1000)).allMatch(a -> a instanceof ProbeScheduler.Admission.Queued);
        assertThat(scheduler.domain("forged.example")).hasValueSatisfying(d -> {
            assertThat(d.running()).isEqualTo(2);
            assertThat(d.waiting()).isEqualTo(998);
        });
        assertThat(tarpit.maxOpenConnections()).isLessThanOrEqualTo(2);
        assertThat(healthy.connections()).isEqualTo(1);
        assertThat(metrics.find("greyrelay.verify.queue.domain.max").gauge().value()).isEqualTo(998);
    }

    static ProbeScheduler.Task task(java.util.function.Supplier<ProbeOutcome> work) {
        return new ProbeScheduler.Task() {
            @Override
            public void run(HostGate gate) {
                work.get();
            }

            @Override
            public void dropped(String why) {
            }
        };
    }

    @Test
    void a_full_domain_queue_is_refused_at_once_while_other_domains_still_start() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(10, 1, 2, 100, 1000));

        assertThat(scheduler.submit("a.example", "x1", new Gate("a1", ran))).isEqualTo(new ProbeScheduler.Admission.Started());
        assertThat(scheduler.submit("a.example", "x2", new Gate("a2", ran))).isEqualTo(new ProbeScheduler.Admission.Queued(1));
        assertThat(scheduler.submit("a.example", "x3", new Gate("a3", ran))).isEqualTo(new ProbeScheduler.Admission.Queued(2));
        assertThat(scheduler.submit("a.example", "x4", new Gate("a4", ran)))
                .isInstanceOfSatisfying(ProbeScheduler.Admission.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.DOMAIN_QUEUE_FULL));
        assertThat(scheduler.submit("b.example", "y", new Gate("b1", ran))).isEqualTo(new ProbeScheduler.Admission.Started());
        assertThat(metrics.find("greyrelay.verify.budget.refusals").tag("scope", "domain-queue-full").counter().count()).isEqualTo(1);
    }

    @Test
    void the_global_waiting_queue_is_bounded_too() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(1, 1, 100, 2, 1000));

        scheduler.submit("a.example", "1", new Gate("a1", ran));
        scheduler.submit("b.example", "1", new Gate("b1", ran));
        scheduler.submit("c.example", "1", new Gate("c1", ran));

        assertThat(scheduler.submit("d.example", "1", new Gate("d1", ran)))
                .isInstanceOfSatisfying(ProbeScheduler.Admission.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.QUEUE_FULL));
    }

    @Test
    void the_domain_rate_follows_the_injected_clock() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(10, 10, 10, 100, 3));
        for (int i = 0; i < 3; i++) scheduler.submit("a.example", "x" + i, new Gate("a" + i, ran));

        assertThat(scheduler.submit("a.example", "x3", new Gate("a3", ran)))
                .isInstanceOfSatisfying(ProbeScheduler.Admission.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.DOMAIN_RATE));
        assertThat(scheduler.submit("b.example", "y", new Gate("b", ran))).isEqualTo(new ProbeScheduler.Admission.Started());

        clock.advance(Duration.ofSeconds(19));
        assertThat(scheduler.submit("a.example", "x4", new Gate("a4", ran))).isInstanceOf(ProbeScheduler.Admission.Refused.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.submit("a.example", "x5", new Gate("a5", ran))).isEqualTo(new ProbeScheduler.Admission.Started());
    }

    @Test
    void free_global_slots_go_to_waiting_domains_round_robin() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(1, 1, 100, 100, 1000));
        Gate first = new Gate("a1", ran);
        scheduler.submit("a.example", "1", first);
        List<Gate> rest = List.of(new Gate("a2", ran), new Gate("a3", ran), new Gate("a4", ran), new Gate("b1", ran),
                new Gate("c1", ran));
        String[] domains = {"a.example", "a.example", "a.example", "b.example", "c.example"};
        for (int i = 0; i < rest.size(); i++) {
            assertThat(scheduler.submit(domains[i], rest.get(i).name, rest.get(i))).isInstanceOf(ProbeScheduler.Admission.Queued.class);
        }

        first.release.countDown();
        assertThat(first.ended.get(5, TimeUnit.SECONDS)).isEqualTo("ran");
        for (Gate g : rest) {
            g.release.countDown();
        }
        for (Gate g : rest) assertThat(g.ended.get(5, TimeUnit.SECONDS)).isEqualTo("ran");

        assertThat(ran).containsExactly("a1", "a2", "b1", "c1", "a3", "a4");
    }

    @Test
    void a_burst_of_distinct_local_parts_freezes_the_domain_until_the_freeze_ends() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(new ProbeScheduler.Limits(10, 100, 10, 1000, Duration.ofMinutes(1), 100, 10, 1000, Duration.ofMinutes(1),
                3, Duration.ofMinutes(10), Duration.ofHours(1)));

        scheduler.submit("a.example", "one", new Gate("1", ran));
        scheduler.submit("a.example", "ONE", new Gate("1 again", ran));
        scheduler.submit("a.example", "two", new Gate("2", ran));
        assertThat(scheduler.submit("a.example", "three", new Gate("3", ran)))
                .isInstanceOfSatisfying(ProbeScheduler.Admission.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.FROZEN));
        assertThat(scheduler.isFrozen("a.example")).isTrue();
        assertThat(scheduler.submit("b.example", "one", new Gate("b", ran))).isEqualTo(new ProbeScheduler.Admission.Started());

        clock.advance(Duration.ofMinutes(59));
        assertThat(scheduler.submit("a.example", "four", new Gate("4", ran))).isInstanceOf(ProbeScheduler.Admission.Refused.class);
        clock.advance(Duration.ofMinutes(2));
        assertThat(scheduler.submit("a.example", "four", new Gate("4", ran))).isEqualTo(new ProbeScheduler.Admission.Started());
    }

    @Test
    void local_parts_outside_the_burst_window_do_not_count() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(new ProbeScheduler.Limits(10, 100, 10, 1000, Duration.ofMinutes(1), 100, 10, 1000, Duration.ofMinutes(1),
                3, Duration.ofMinutes(10), Duration.ofHours(1)));

        scheduler.submit("a.example", "one", new Gate("1", ran));
        scheduler.submit("a.example", "two", new Gate("2", ran));
        clock.advance(Duration.ofMinutes(11));

        assertThat(scheduler.submit("a.example", "three", new Gate("3", ran))).isEqualTo(new ProbeScheduler.Admission.Started());
    }

    @Test
    void the_mx_host_gate_caps_concurrency_and_rate_per_host() {
        scheduler(new ProbeScheduler.Limits(10, 100, 10, 1000, Duration.ofMinutes(1), 100, 2, 3, Duration.ofMinutes(1),
                1000, Duration.ofMinutes(10), Duration.ofHours(1)));
        HostGate gate = scheduler.hostGate();

        Optional<Permit> p1 = gate.tryEnter(target("mx.example.org", "192.0.2.1"));
        Optional<Permit> p2 = gate.tryEnter(target("MX.example.org", "192.0.2.1"));
        assertThat(p1).isPresent();
        assertThat(p2).isPresent();
        assertThat(gate.tryEnter(target("mx.example.org", "192.0.2.1"))).as("concurrency cap").isEmpty();
        assertThat(gate.tryEnter(target("mx.example.net", "192.0.2.2"))).isPresent();
        p1.get().close();
        p1.get().close(); // idempotent
        assertThat(gate.tryEnter(target("mx.example.org", "192.0.2.1"))).as("third of three per minute").isPresent();
        p2.get().close();
        assertThat(gate.tryEnter(target("mx.example.org", "192.0.2.1"))).as("rate").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(gate.tryEnter(target("mx.example.org", "192.0.2.1"))).as("rate refilled, one of two slots in use").isPresent();
        assertThat(gate.tryEnter(target("mx.example.org", "192.0.2.1"))).as("both slots in use").isEmpty();
    }

    /** A background task (prefetch, refresh): it may not take the slots kept for inline probes. */
    static final class Background extends Gate {
        Background(String name, List<String> log) {
            super(name, log);
        }

        @Override
        public boolean inline() {
            return false;
        }
    }

    @Test
    void background_probes_leave_the_reserved_slots_to_inline_probes() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(new ProbeScheduler.Limits(3, 100, 1, 1000, Duration.ofMinutes(1), 100, 10, 1000, Duration.ofMinutes(1),
                1000, Duration.ofMinutes(10), Duration.ofHours(1), 10, 1));
        List<Gate> flood = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Gate g = new Background("bg" + i, ran);
            flood.add(g);
            closeLast.add(g.release::countDown);
            scheduler.submit("tarpit" + i + ".example", "x", g);
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 2);
        assertThat(scheduler.snapshot(0).running()).as("two of three; the last slot is kept").isEqualTo(2);
        assertThat(scheduler.snapshot(0).waiting()).isEqualTo(3);

        Gate inline = new Gate("inline", ran);
        closeLast.add(inline.release::countDown);
        assertThat(scheduler.submit("example.org", "jane", inline)).isEqualTo(new ProbeScheduler.Admission.Started());
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ran.contains("inline"));

        // the inline probe ends: its slot is the reserved one again, so no background probe takes it
        inline.release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.snapshot(0).running() == 2);
        assertThat(ran).hasSize(3);
        // a background probe ends: the next background one takes its slot
        flood.get(0).release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 4);
        assertThat(scheduler.snapshot(0).running()).isEqualTo(2);
    }

    @Test
    void many_host_names_on_one_address_stay_within_the_per_address_cap() {
        scheduler(new ProbeScheduler.Limits(10, 100, 10, 1000, Duration.ofMinutes(1), 100, 4, 1000, Duration.ofMinutes(1),
                1000, Duration.ofMinutes(10), Duration.ofHours(1), 2, 0));
        HostGate gate = scheduler.hostGate();

        Optional<Permit> a = gate.tryEnter(target("mx1.victim.example", "192.0.2.7"));
        Optional<Permit> b = gate.tryEnter(target("mx2.victim.example", "192.0.2.7"));
        assertThat(a).isPresent();
        assertThat(b).isPresent();
        assertThat(gate.tryEnter(target("mx3.victim.example", "192.0.2.7"))).as("third name, same address").isEmpty();
        assertThat(gate.tryEnter(target("mx3.victim.example", "192.0.2.8"))).as("another address").isPresent();
        assertThat(metrics.counter("greyrelay.verify.budget.refusals", "scope", "address").count()).isEqualTo(1);
        a.get().close();
        assertThat(gate.tryEnter(target("mx4.victim.example", "192.0.2.7"))).isPresent();
    }

    @Test
    void the_precheck_refuses_a_used_up_domain_without_consuming_and_counts_local_parts_for_the_burst() {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(new ProbeScheduler.Limits(10, 100, 1, 1000, Duration.ofMinutes(1), 1, 10, 1000, Duration.ofMinutes(1),
                4, Duration.ofMinutes(10), Duration.ofHours(1)));
        assertThat(scheduler.precheck("a.example", "one")).isEmpty();
        scheduler.submit("a.example", "one", new Gate("1", ran));
        scheduler.submit("a.example", "two", new Gate("2", ran));

        assertThat(scheduler.precheck("a.example", "three")).contains(ProbeScheduler.Reason.DOMAIN_QUEUE_FULL);
        assertThat(scheduler.precheck("b.example", "x")).isEmpty();
        assertThat(scheduler.precheck("a.example", "four")).contains(ProbeScheduler.Reason.FROZEN);
        assertThat(scheduler.isFrozen("a.example")).isTrue();
    }

    @Test
    void closing_drops_the_waiting_probes_and_refuses_new_ones() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(1, 1, 10, 10, 100));
        Gate running = new Gate("a1", ran);
        Gate waiting = new Gate("a2", ran);
        scheduler.submit("a.example", "1", running);
        scheduler.submit("a.example", "2", waiting);

        scheduler.close();

        assertThat(waiting.ended.get(5, TimeUnit.SECONDS)).startsWith("dropped");
        assertThat(scheduler.submit("b.example", "1", new Gate("b", ran)))
                .isInstanceOfSatisfying(ProbeScheduler.Admission.Refused.class,
                        r -> assertThat(r.reason()).isEqualTo(ProbeScheduler.Reason.CLOSED));
    }

    @Test
    void sweeping_forgets_idle_domains_once_their_bucket_is_full_again() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        scheduler(limits(10, 1, 10, 100, 5));
        Gate g = new Gate("a1", ran);
        scheduler.submit("a.example", "1", g);
        g.release.countDown();
        g.ended.get(5, TimeUnit.SECONDS);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.snapshot(0).running() == 0);

        assertThat(scheduler.sweep()).isZero();
        clock.advance(Duration.ofMinutes(11));
        assertThat(scheduler.sweep()).isEqualTo(1);
        assertThat(scheduler.domain("a.example")).isEmpty();
    }
}
