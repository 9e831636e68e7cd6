package greyrelay.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The heartbeat job with an injected clock: what a beat writes, and down after a minute without one. */
class HeartbeatTest {
    @TempDir
    Path dir;

    @Test
    void each_beat_replaces_the_row_with_the_clocks_time_and_the_nodes_figures() {
        TestClock clock = new TestClock();
        AtomicReference<Heartbeat.Status> status = new AtomicReference<>(new Heartbeat.Status(true, 2, Duration.ofSeconds(90)));
        try (Database db = TestDatabases.h2(dir)) {
            NodeHeartbeats store = new NodeHeartbeats(db);
            Heartbeat heartbeat = new Heartbeat(store, clock, "mx-a", "1.2.3", status::get);

            clock.advance(Heartbeat.INTERVAL);
            assertThat(heartbeat.beat()).isTrue();
            assertThat(store.list()).containsExactly(new NodeHeartbeat("mx-a", "1.2.3", TestClock.START,
                    TestClock.START.plus(Heartbeat.INTERVAL), true, 2, 90L));

            status.set(new Heartbeat.Status(false, 0, null));
            clock.advance(Heartbeat.INTERVAL);
            heartbeat.beat();
            assertThat(store.list()).singleElement().satisfies(h -> {
                assertThat(h.startedAt()).isEqualTo(TestClock.START);
                assertThat(h.lastSeen()).isEqualTo(TestClock.START.plus(Heartbeat.INTERVAL.multipliedBy(2)));
                assertThat(h.smtpListening()).isFalse();
                assertThat(h.queueDepth()).isZero();
                assertThat(h.oldestMessageSeconds()).isNull();
            });
        }
    }

    @Test
    void a_node_that_stops_beating_is_down_a_minute_after_its_last_beat_and_up_again_at_the_next() {
        TestClock clock = new TestClock();
        try (Database db = TestDatabases.h2(dir)) {
            NodeHeartbeats store = new NodeHeartbeats(db);
            Heartbeat heartbeat = new Heartbeat(store, clock, "mx-a", "1.2.3", () -> new Heartbeat.Status(true, 0, null));
            heartbeat.beat();

            clock.advance(Duration.ofSeconds(59));
            assertThat(store.list().get(0).state(clock.instant())).isEqualTo(NodeHeartbeat.State.UP);
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.list().get(0).state(clock.instant())).isEqualTo(NodeHeartbeat.State.DOWN);

            heartbeat.beat();
            assertThat(store.list().get(0).state(clock.instant())).isEqualTo(NodeHeartbeat.State.UP);
        }
    }

    @Test
    void a_beat_while_the_database_is_away_fails_quietly_and_the_next_one_writes_again() {
        TestClock clock = new TestClock();
        Database db = TestDatabases.h2(dir);
        Heartbeat heartbeat = new Heartbeat(new NodeHeartbeats(db), clock, "mx-a", "1.2.3", () -> new Heartbeat.Status(true, 0, null));
        db.close();

        assertThat(heartbeat.beat()).isFalse();

        try (Database reopened = TestDatabases.h2(dir)) {
            Heartbeat again = new Heartbeat(new NodeHeartbeats(reopened), clock, "mx-a", "1.2.3", () -> new Heartbeat.Status(true, 0, null));
            assertThat(again.beat()).isTrue();
            assertThat(new NodeHeartbeats(reopened).list()).hasSize(1);
        }
    }
}
