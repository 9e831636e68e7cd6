package greyrelay.relay.greylist;

import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.policy.DecisionRecorder;
import greyrelay.relay.policy.DecisionSink;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code greylist} check (RCPT) over a real H2 store, with the clock moved by hand. */
class GreylistCheckTest {
    @TempDir
    static Path dir;

    @TempDir
    static Path otherDir;

    static Database db;

    TestClock clock;
    SimpleMeterRegistry metrics;
    GreylistStore store;
    List<PolicyRequest.Rcpt> firstSights;
    final List<Greylister> made = new CopyOnWriteArrayList<>();
    GreylistCheck check;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @BeforeEach
    void fresh() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_triplet");
            s.executeUpdate("DELETE FROM greylist_client");
        }
        clock = new TestClock();
        metrics = new SimpleMeterRegistry();
        store = new GreylistStore(db);
        firstSights = new CopyOnWriteArrayList<>();
        check = check(false, r -> firstSights.add(r), 5);
    }

    GreylistCheck check(boolean observe, GreylistCheck.FirstSight hook, int autoWhitelistAfter) {
        Greylister g = new Greylister(store, new GreylistPolicy(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35),
                autoWhitelistAfter), clock, metrics, true);
        made.add(g);
        return new GreylistCheck(g, new Triplet.Keying(24, 64, true), clock, hook, observe, new GreylistHeader("test", "mx.example.com"),
                new greyrelay.relay.policy.Replies.GreylistedText(greyrelay.relay.policy.Replies.GREYLISTED_TEXT));
    }

    /** The store once the queued writes of every greylister of the test have landed. */
    GreylistStore flushed() {
        made.forEach(Greylister::flush);
        return store;
    }

    @AfterEach
    void stopWriters() {
        made.forEach(Greylister::close);
        made.clear();
    }

    double count(String outcome) {
        return metrics.get("greyrelay.greylist.decisions").tag("outcome", outcome).counter().count();
    }

    static Requests.Session client(String ip) {
        return new Requests.Session(ip);
    }

    @Test
    void greylists_the_first_attempt_of_an_unknown_triplet_for_the_whole_delay() {
        PolicyRequest.Rcpt r = client("192.0.2.10").rcpt(JANE, JOHN);

        Verdict v = check.evaluate(r);

        assertThat(v).isEqualTo(new Verdict.Defer(Replies.greylisted(300),
                "greylisted: new triplet (192.0.2.0/24, jane@example.org, john@example.com)"));
        assertThat(((Verdict.Defer) v).reply().line()).isEqualTo("451 4.7.1 Greylisted, please try again in 300 seconds");
        GreylistEntry e = flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow();
        assertThat(e.firstSeen()).isEqualTo(TestClock.START);
        assertThat(e.passed()).isFalse();
        assertThat(firstSights).containsExactly(r);
        assertThat(count("greylisted")).isEqualTo(1);
    }

    @Test
    void a_retry_too_early_gets_the_remaining_seconds_and_does_not_restart_the_clock() {
        check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));
        clock.advance(Duration.ofSeconds(100));

        Verdict second = check.evaluate(client("192.0.2.77").rcpt(JANE, JOHN)); // same /24
        clock.advance(Duration.ofSeconds(100));
        Verdict third = check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));

        assertThat(((Verdict.Defer) second).reply()).isEqualTo(Replies.greylisted(200));
        assertThat(((Verdict.Defer) third).reply()).isEqualTo(Replies.greylisted(100));
        GreylistEntry e = flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow();
        assertThat(e.firstSeen()).isEqualTo(TestClock.START);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(firstSights).hasSize(1);
    }

    @Test
    void a_retry_after_the_delay_passes_and_the_message_says_how_long_it_was_delayed() {
        check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));
        clock.advance(Duration.ofSeconds(312));
        PolicyRequest.Rcpt retry = client("192.0.2.10").rcpt(JANE, JOHN);

        assertThat(check.evaluate(retry)).isEqualTo(Verdict.CONTINUE);

        assertThat(retry.tx().headers()).containsEntry("X-Greylist",
                "delayed 312 seconds by greyrelay-test (mx.example.com); Fri, 27 Nov 2026 10:05:12 +0000");
        assertThat(retry.tx().notes(JOHN)).containsExactly("greylist: passed after 312 s");
        assertThat(flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow().passedAt())
                .isEqualTo(TestClock.START.plusSeconds(312));
        assertThat(count("passed")).isEqualTo(1);
    }

    @Test
    void a_known_triplet_passes_later_without_a_header() {
        check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));
        clock.advance(Duration.ofMinutes(6));
        check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));
        clock.advance(Duration.ofDays(20));
        PolicyRequest.Rcpt later = client("192.0.2.10").rcpt(JANE, JOHN);

        assertThat(check.evaluate(later)).isEqualTo(Verdict.CONTINUE);

        assertThat(later.tx().headers()).isEmpty();
        assertThat(later.tx().notes(JOHN)).containsExactly("greylist: known triplet");
        assertThat(flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow().lastSeen())
                .isEqualTo(TestClock.START.plus(Duration.ofMinutes(6)).plus(Duration.ofDays(20)));
        assertThat(flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow().attempts())
                .as("the deferral and the passing retry; mail after passing is not an attempt").isEqualTo(2);
    }

    @Test
    void another_recipient_or_network_is_another_triplet() {
        check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN));
        clock.advance(Duration.ofMinutes(6));

        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, MARY))).isInstanceOf(Verdict.Defer.class);
        assertThat(check.evaluate(client("198.51.100.20").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        assertThat(check.evaluate(client("192.0.2.10").rcpt("Jane+promo@Example.org", JOHN))).isEqualTo(Verdict.CONTINUE);
    }

    @Test
    void a_request_exempt_from_greylisting_is_not_greylisted_and_counted_as_whitelisted() {
        PolicyRequest.Rcpt r = client("192.0.2.10").rcpt(JANE, JOHN, Exemption.GREYLISTING);

        assertThat(check.evaluate(r)).isEqualTo(Verdict.CONTINUE);

        assertThat(flushed().countTriplets()).isZero();
        assertThat(r.tx().notes(JOHN)).containsExactly("greylist: whitelisted");
        assertThat(count("whitelisted")).isEqualTo(1);
    }

    @Test
    void the_null_sender_is_not_greylisted_at_rcpt() {
        assertThat(check.evaluate(client("192.0.2.10").rcpt("", JOHN))).isEqualTo(Verdict.CONTINUE);

        assertThat(flushed().countTriplets()).isZero();
        assertThat(firstSights).isEmpty();
    }

    @Test
    void a_failing_first_sight_hook_does_not_change_the_answer() {
        GreylistCheck failing = check(false, r -> {
            throw new IllegalStateException("probe scheduler full");
        }, 5);

        assertThat(failing.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        assertThat(flushed().countTriplets()).isEqualTo(1);
    }

    @Test
    void observe_mode_keeps_entries_but_adds_no_header() {
        GreylistCheck observing = check(true, GreylistCheck.FirstSight.NONE, 5);
        assertThat(observing.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        clock.advance(Duration.ofMinutes(6));
        PolicyRequest.Rcpt retry = client("192.0.2.10").rcpt(JANE, JOHN);

        assertThat(observing.evaluate(retry)).isEqualTo(Verdict.CONTINUE);

        assertThat(retry.tx().headers()).isEmpty();
        assertThat(flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN)).orElseThrow().passed()).isTrue();
    }

    @Test
    void observe_mode_in_the_pipeline_records_the_deferral_and_lets_the_mail_through() {
        List<String> recorded = new CopyOnWriteArrayList<>();
        DecisionSink sink = d -> recorded.add(d.check() + " " + d.outcome() + " observe=" + d.observe() + " " + d.reply().line());
        Pipeline p = new Pipeline(List.of(), List.of(), List.of(new Pipeline.Step<>(check(true, GreylistCheck.FirstSight.NONE, 5),
                greyrelay.relay.config.Mode.OBSERVE)), List.of(), new DecisionRecorder(clock, metrics, sink), metrics);

        assertThat(p.rcpt(client("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);

        assertThat(recorded).containsExactly("greylist DEFERRED observe=true 451 4.7.1 Greylisted, please try again in 300 seconds");
    }

    @Test
    void a_network_whose_triplets_passed_five_times_is_auto_whitelisted_for_new_triplets() {
        for (int i = 0; i < 5; i++) {
            String sender = "sender" + (char) ('a' + i) + "@example.org";
            check.evaluate(client("192.0.2.10").rcpt(sender, JOHN));
            clock.advance(Duration.ofMinutes(6));
            assertThat(check.evaluate(client("192.0.2.11").rcpt(sender, JOHN))).isEqualTo(Verdict.CONTINUE);
        }
        flushed(); // the pass counts are queued writes
        PolicyRequest.Rcpt fresh = client("192.0.2.200").rcpt("newcomer@example.net", MARY);

        assertThat(check.evaluate(fresh)).isEqualTo(Verdict.CONTINUE);

        assertThat(fresh.tx().notes(MARY)).containsExactly("greylist: auto-whitelisted client network 192.0.2.0/24");
        assertThat(fresh.tx().headers()).isEmpty();
        assertThat(flushed().find(new TripletKey("192.0.2.0/24", "newcomer@example.net", MARY))).isEmpty();
        assertThat(count("auto_whitelisted")).isEqualTo(1);
        assertThat(check.evaluate(client("198.51.100.20").rcpt("newcomer@example.net", MARY))).isInstanceOf(Verdict.Defer.class);
    }

    @Test
    void four_passes_are_not_enough_for_the_auto_whitelist() {
        for (int i = 0; i < 4; i++) {
            String sender = "sender" + (char) ('a' + i) + "@example.org";
            check.evaluate(client("192.0.2.10").rcpt(sender, JOHN));
            clock.advance(Duration.ofMinutes(6));
            check.evaluate(client("192.0.2.10").rcpt(sender, JOHN));
        }

        assertThat(check.evaluate(client("192.0.2.10").rcpt("newcomer@example.net", MARY))).isInstanceOf(Verdict.Defer.class);
        assertThat(flushed().client("192.0.2.0/24").orElseThrow().passes()).isEqualTo(4);
    }

    @Test
    void an_spf_pass_for_this_transaction_keys_the_triplet_by_domain() {
        Requests.Session first = client("192.0.2.10");
        var tx = first.mail(JANE);
        tx.facts().spf(new SpfFact("pass", "Example.ORG.", "spf pass for example.org"));
        assertThat(check.evaluate(first.rcpt(tx, JOHN))).isInstanceOf(Verdict.Defer.class);
        clock.advance(Duration.ofMinutes(6));

        Requests.Session elsewhere = client("203.0.113.50"); // another network the domain's SPF record authorises
        var retry = elsewhere.mail(JANE);
        retry.facts().spf(new SpfFact("pass", "example.org", "spf pass for example.org"));

        assertThat(check.evaluate(elsewhere.rcpt(retry, JOHN))).isEqualTo(Verdict.CONTINUE);
        assertThat(flushed().find(new TripletKey("spf:example.org", JANE, JOHN)).orElseThrow().passed()).isTrue();
    }

    @Test
    void an_spf_pass_of_an_earlier_transaction_is_ignored() {
        Requests.Session s = client("192.0.2.10");
        var earlier = s.mail(JANE);
        earlier.facts().spf(new SpfFact("pass", "example.org", "spf pass for example.org"));

        check.evaluate(s.rcpt(s.mail(JANE), JOHN));

        assertThat(flushed().find(new TripletKey("192.0.2.0/24", JANE, JOHN))).isPresent();
        assertThat(flushed().find(new TripletKey("spf:example.org", JANE, JOHN))).isEmpty();
    }

    @Test
    void two_threads_seeing_a_new_triplet_at_once_create_one_entry_and_one_first_sight() throws Exception {
        int threads = 6;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Verdict>> verdicts = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                PolicyRequest.Rcpt r = client("192.0.2." + (10 + i)).rcpt(JANE, JOHN);
                verdicts.add(pool.submit(() -> {
                    go.await();
                    return check.evaluate(r);
                }));
            }
            go.countDown();
            for (Future<Verdict> v : verdicts) assertThat(v.get()).isInstanceOf(Verdict.Defer.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(flushed().countTriplets()).isEqualTo(1);
        assertThat(firstSights).hasSize(1);
    }

    @Test
    void a_triplet_that_passed_here_passes_again_from_memory_for_a_minute_then_asks_the_database() {
        Database own = TestDatabases.h2(otherDir.resolve("memory"));
        Greylister g = new Greylister(new GreylistStore(own), new GreylistPolicy(Duration.ofMinutes(5), Duration.ofDays(2),
                Duration.ofDays(35), 5), clock, metrics, true);
        made.add(g);
        GreylistCheck c = new GreylistCheck(g, new Triplet.Keying(24, 64, true), clock, GreylistCheck.FirstSight.NONE, false,
                new GreylistHeader("test", "mx"), new greyrelay.relay.policy.Replies.GreylistedText(Replies.GREYLISTED_TEXT));
        assertThat(c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        clock.advance(Duration.ofMinutes(6));
        assertThat(c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
        own.close(); // from here on every read fails

        PolicyRequest.Rcpt again = client("192.0.2.10").rcpt(JANE, JOHN);
        assertThat(c.evaluate(again)).isEqualTo(Verdict.CONTINUE);
        assertThat(again.tx().notes(JOHN)).containsExactly("greylist: known triplet");

        clock.advance(WriteBehind.PASSING_TTL.plusSeconds(1));
        assertThatThrownBy(() -> c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(DatabaseException.class);
    }

    @Test
    void with_postgresql_a_passed_triplet_is_read_every_time_so_a_lost_database_fails_the_next_request() throws Exception {
        Database shared = TestDatabases.postgres();
        Greylisting greylisting = Greylisting.create(RelayConfig.defaults().greylist(), shared, clock, metrics, "mx", "test",
                GreylistCheck.FirstSight.NONE);
        try {
            var c = greylisting.greylistCheck();
            assertThat(c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
            greylisting.flush();
            clock.advance(Duration.ofMinutes(6));
            assertThat(c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
            PolicyRequest.Rcpt known = client("192.0.2.10").rcpt(JANE, JOHN);
            assertThat(c.evaluate(known)).isEqualTo(Verdict.CONTINUE);
            assertThat(known.tx().notes(JOHN)).containsExactly("greylist: known triplet");

            shared.close(); // the database is gone: the very next request must not pass from memory (issue 12: only 4xx)

            assertThatThrownBy(() -> c.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(DatabaseException.class);
        } finally {
            greylisting.close();
            shared.close();
        }
    }

    /** Greylists, then passes, the example triplet on {@link #check}'s node; returns its key. */
    TripletKey passedHere() {
        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        clock.advance(Duration.ofMinutes(6));
        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);
        return flushed().recent(1, 0).get(0).key();
    }

    @Test
    void a_triplet_deleted_through_this_nodes_panel_starts_over_at_the_next_request() {
        TripletKey key = passedHere();
        assertThat(store.delete(key)).isTrue();
        made.get(0).forgetPassing(); // what the relay does when its panel tells ChangeListener.What.GREYLIST

        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        assertThat(firstSights).hasSize(2);
    }

    @Test
    void a_triplet_deleted_on_another_node_passes_here_for_at_most_the_passing_ttl() {
        TripletKey key = passedHere();
        assertThat(store.delete(key)).isTrue(); // another node's panel: this node is not told

        clock.advance(WriteBehind.PASSING_TTL.minusSeconds(1));
        PolicyRequest.Rcpt remembered = client("192.0.2.10").rcpt(JANE, JOHN);
        assertThat(check.evaluate(remembered)).isEqualTo(Verdict.CONTINUE);
        assertThat(remembered.tx().notes(JOHN)).containsExactly("greylist: known triplet");

        clock.advance(Duration.ofSeconds(2));
        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        assertThat(firstSights).hasSize(2);
    }

    @Test
    void a_pass_on_another_node_is_seen_here_at_the_next_request() {
        GreylistCheck otherNode = check(false, GreylistCheck.FirstSight.NONE, 5);
        assertThat(check.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isInstanceOf(Verdict.Defer.class);
        flushed();
        clock.advance(Duration.ofMinutes(6));
        assertThat(otherNode.evaluate(client("192.0.2.10").rcpt(JANE, JOHN))).isEqualTo(Verdict.CONTINUE);

        PolicyRequest.Rcpt here = client("192.0.2.10").rcpt(JANE, JOHN);
        assertThat(check.evaluate(here)).isEqualTo(Verdict.CONTINUE);
        assertThat(here.tx().notes(JOHN)).containsExactly("greylist: known triplet");
    }

    @Test
    void a_database_failure_is_answered_451_4_3_0_by_the_pipeline() {
        Database closed = TestDatabases.h2(otherDir.resolve("closed"));
        closed.close();
        GreylistCheck broken = new GreylistCheck(new Greylister(new GreylistStore(closed),
                new GreylistPolicy(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 5), clock, metrics, true),
                new Triplet.Keying(24, 64, true), clock, GreylistCheck.FirstSight.NONE, false, new GreylistHeader("test", "mx"),
                new greyrelay.relay.policy.Replies.GreylistedText(greyrelay.relay.policy.Replies.GREYLISTED_TEXT));
        List<String> recorded = new CopyOnWriteArrayList<>();
        Pipeline p = new Pipeline(List.of(), List.of(), List.of(new Pipeline.Step<>(broken, greyrelay.relay.config.Mode.ENFORCE)), List.of(),
                new DecisionRecorder(clock, metrics, d -> recorded.add(d.check() + ": " + d.reason())), metrics);

        Verdict v = p.rcpt(client("192.0.2.10").rcpt(JANE, JOHN));

        assertThat(v).isInstanceOf(Verdict.Defer.class);
        assertThat(((Verdict.Defer) v).reply().line()).isEqualTo("451 4.3.0 Temporary local problem, try again later");
        assertThat(recorded).containsExactly("greylist: greylist failed: DatabaseException");
    }

    @Test
    void a_read_only_greylister_decides_as_the_real_one_and_writes_nothing() {
        Greylister live = new Greylister(store, new GreylistPolicy(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 5), clock, metrics, true);
        made.add(live);
        Greylister dry = live.readOnly(new SimpleMeterRegistry());
        Triplet.Keying keying = new Triplet.Keying(24, 64, true);
        Triplet t = keying.of(client("192.0.2.10").rcpt(JANE, JOHN));
        TripletKey key = new TripletKey("192.0.2.0/24", JANE, JOHN);

        assertThat(dry.decide(t, "192.0.2.0/24", true, clock.instant())).isInstanceOf(Greylister.Result.Deferred.class);
        assertThat(store.find(key)).as("first sight not stored").isEmpty();
        assertThat(count("greylisted")).as("not counted").isZero();

        live.decide(t, "192.0.2.0/24", true, clock.instant());
        live.flush();
        GreylistEntry stored = store.find(key).orElseThrow();
        clock.advance(Duration.ofMinutes(2));
        var early = (Greylister.Result.Deferred) dry.decide(t, "192.0.2.0/24", true, clock.instant());
        assertThat(early.retryInSeconds()).isEqualTo(180);
        clock.advance(Duration.ofMinutes(4));
        var pass = dry.decide(t, "192.0.2.0/24", true, clock.instant());
        assertThat(pass).isInstanceOf(Greylister.Result.Passed.class);
        assertThat(((Greylister.Result.Passed) pass).outcome()).isInstanceOf(GreylistOutcome.FirstPass.class);
        live.flush();
        assertThat(store.find(key)).as("no attempt, no pass recorded").contains(stored);
        assertThat(live.decide(t, "192.0.2.0/24", true, clock.instant())).as("the real retry still passes first")
                .isEqualTo(pass);
    }
}
