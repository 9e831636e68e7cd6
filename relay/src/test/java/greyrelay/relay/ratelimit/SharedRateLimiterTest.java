package greyrelay.relay.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.ratelimit.RateLimiter.Limit;
import greyrelay.relay.ratelimit.RateLimiter.Take;
import greyrelay.relay.testing.TestClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two "nodes" (two RateLimiter instances, each with its own pool) on one PostgreSQL schema share their buckets:
 * the limit holds across nodes. Skipped without PostgreSQL, failed with {@code REQUIRE_POSTGRES=1}.
 */
class SharedRateLimiterTest {
    static Database db;
    static TestClock clock;
    static RateLimiter node1;
    static RateLimiter node2;

    @BeforeAll
    static void open() {
        db = TestDatabases.postgres();
        // the buckets' clock must be wall-based: start at the real time, move by hand
        clock = new TestClock(Instant.now());
        node1 = RateLimiter.shared(db.dataSource(), clock);
        node2 = RateLimiter.shared(db.dataSource(), clock);
    }

    @AfterAll
    static void close() {
        if (db != null) db.close();
    }

    @Test
    void two_nodes_take_from_one_bucket_and_both_are_refused_at_the_limit() {
        Limit five = Limit.perMinute(5);
        assertThat(List.of(node1.take("ip:192.0.2.7", five), node1.take("ip:192.0.2.7", five), node1.take("ip:192.0.2.7", five),
                node2.take("ip:192.0.2.7", five), node2.take("ip:192.0.2.7", five))).allMatch(t -> t instanceof Take.Granted);

        assertThat(node1.take("ip:192.0.2.7", five)).isInstanceOf(Take.Refused.class);
        assertThat(node2.take("ip:192.0.2.7", five)).isInstanceOf(Take.Refused.class);

        clock.advance(Duration.ofSeconds(12)); // one token per 12 s
        assertThat(node2.take("ip:192.0.2.7", five)).isInstanceOf(Take.Granted.class);
        assertThat(node1.take("ip:192.0.2.7", five)).isInstanceOf(Take.Refused.class);
    }

    @Test
    void concurrent_takes_through_both_nodes_grant_exactly_the_capacity() throws Exception {
        Limit eight = Limit.perHour(8);
        List<Callable<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            RateLimiter node = i % 2 == 0 ? node1 : node2;
            calls.add(() -> node.take("race", eight) instanceof Take.Granted);
        }
        int granted = 0;
        try (var pool = Executors.newFixedThreadPool(4)) {
            for (Future<Boolean> f : pool.invokeAll(calls)) if (f.get()) granted++;
        }
        assertThat(granted).isEqualTo(8);
    }

    @Test
    void two_nodes_together_grant_at_most_the_capacity_plus_each_nodes_unsynchronized_tokens() {
        // own clock: the row's expiry is stamped with the real time, which another test compares with the shared clock
        TestClock clock = new TestClock(Instant.now());
        RateLimiter node1 = RateLimiter.shared(db.dataSource(), clock);
        RateLimiter node2 = RateLimiter.shared(db.dataSource(), clock);
        Limit hundred = Limit.perHour(100);
        long slack = RateLimiter.unsynchronizedTokens(hundred);
        assertThat(slack).as("5% of the capacity").isEqualTo(5);
        int granted = 0;
        for (int i = 0; i < 400; i++) {
            RateLimiter node = i % 3 == 0 ? node2 : node1; // uneven, so the nodes' local copies drift apart
            if (node.take("overshoot", hundred) instanceof Take.Granted) granted++;
        }
        assertThat(granted).isBetween(100, (int) (100 + 2 * slack));

        // what was granted beyond the capacity is owed: after one refill period's worth of tokens, no more than that
        clock.advance(Duration.ofMinutes(6)); // 10 tokens back
        int later = 0;
        for (int i = 0; i < 100; i++) {
            if ((i % 2 == 0 ? node1 : node2).take("overshoot", hundred) instanceof Take.Granted) later++;
        }
        assertThat(granted + later).isBetween(110, (int) (110 + 2 * slack));
    }

    @Test
    void one_node_is_refused_on_the_very_take_beyond_the_capacity() {
        TestClock clock = new TestClock(Instant.now());
        RateLimiter node1 = RateLimiter.shared(db.dataSource(), clock);
        RateLimiter node2 = RateLimiter.shared(db.dataSource(), clock);
        Limit hundred = Limit.perHour(100);
        for (int i = 0; i < 100; i++) assertThat(node1.take("single", hundred)).as("take %d", i + 1).isInstanceOf(Take.Granted.class);
        assertThat(node1.take("single", hundred)).isInstanceOf(Take.Refused.class);
        assertThat(node1.take("single", hundred)).isInstanceOf(Take.Refused.class);
        assertThat(node2.take("single", hundred)).as("the other node sees the row").isInstanceOf(Take.Refused.class);
        clock.advance(Duration.ofSeconds(36)); // one token back
        assertThat(node1.take("single", hundred)).isInstanceOf(Take.Granted.class);
        assertThat(node1.take("single", hundred)).isInstanceOf(Take.Refused.class);
    }

    @Test
    void tokens_granted_locally_reach_the_database_within_the_unsynchronized_allowance() throws Exception {
        Limit hundred = Limit.perHour(100);
        for (int i = 0; i < 12; i++) node1.take("sync", hundred);
        // the row knows every token but at most the 5 node1 may still hold locally
        assertThat(node2.readOnly().take("sync", hundred)).isInstanceOf(Take.Granted.class);
        int left = 0;
        while (node2.take("sync", hundred) instanceof Take.Granted) left++;
        assertThat(left).isBetween(88, 88 + 5);
    }

    @Test
    void a_token_given_back_on_one_node_is_seen_by_the_other() {
        Limit one = Limit.perHour(1);
        node1.take("giveback", one);
        assertThat(node2.take("giveback", one)).isInstanceOf(Take.Refused.class);

        node1.giveBack("giveback", one);
        assertThat(node2.take("giveback", one)).isInstanceOf(Take.Granted.class);
    }

    @Test
    void each_bucket_row_expires_when_it_would_be_full_again() throws Exception {
        Instant before = clock.instant();
        node1.take("expiry", Limit.perMinute(2));
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT expires_at FROM rate_limit_bucket WHERE id = 'expiry|2/1m'")) {
            assertThat(rs.next()).isTrue();
            // refilled after about 30 s, then kept one more minute (basedOnTimeForRefillingBucketUpToMax)
            assertThat(rs.getLong(1)).isBetween(before.plusSeconds(85).toEpochMilli(), before.plusSeconds(100).toEpochMilli());
        }
        assertThat(node1.removeExpired()).as("cleanup compares with the real time: nothing is due yet").isZero();
    }

    @Test
    void a_read_only_view_reads_the_shared_bucket_and_writes_no_row() throws Exception {
        Limit one = Limit.perHour(1);
        RateLimiter dry = node1.readOnly();
        assertThat(dry.take("ip:192.0.2.99", one)).isInstanceOf(Take.Granted.class);
        assertThat(rows("ip:192.0.2.99")).as("no row created by a dry take").isZero();
        node2.take("ip:192.0.2.99", one);
        assertThat(dry.take("ip:192.0.2.99", one)).as("the other node took the only token").isInstanceOf(Take.Refused.class);
        assertThat(rows("ip:192.0.2.99")).isEqualTo(1);
    }

    private static long rows(String key) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM rate_limit_bucket WHERE id LIKE '" + key + "|%'")) {
            r.next();
            return r.getLong(1);
        }
    }
}
