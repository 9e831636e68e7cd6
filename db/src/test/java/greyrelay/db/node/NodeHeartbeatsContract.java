package greyrelay.db.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.testing.ClassDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link NodeHeartbeats} promises, run against H2 ({@link H2NodeHeartbeatsTest}) and PostgreSQL
 * ({@link PostgresNodeHeartbeatsTest}). Rows are cleared before each test.
 */
abstract class NodeHeartbeatsContract {
    static final Instant STARTED = Instant.parse("2026-12-01T08:00:00Z");

    private final ClassDatabase db;
    NodeHeartbeats store;

    NodeHeartbeatsContract(ClassDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("node_heartbeat");
        store = new NodeHeartbeats(db.database());
    }

    @Test
    void a_first_beat_inserts_the_row_and_reads_every_field_back() {
        NodeHeartbeat beat = new NodeHeartbeat("mx1.example.com", "1.4.0", STARTED.plusNanos(123_456_789),
                STARTED.plusSeconds(15), true, 3, 120L);

        store.beat(beat);

        assertThat(store.list()).containsExactly(beat);
        assertThat(store.list().get(0).startedAt()).as("cut to microseconds").isEqualTo(STARTED.plusNanos(123_456_000));
    }

    @Test
    void a_later_beat_replaces_the_nodes_row_and_leaves_the_others() {
        store.beat(new NodeHeartbeat("mx2.example.com", "1.4.0", STARTED, STARTED.plusSeconds(15), true, 0, null));
        store.beat(new NodeHeartbeat("mx1.example.com", "1.4.0", STARTED, STARTED.plusSeconds(15), true, 3, 120L));
        NodeHeartbeat later = new NodeHeartbeat("mx1.example.com", "1.4.1", STARTED.plusSeconds(20), STARTED.plusSeconds(35),
                false, 0, null);

        store.beat(later);

        assertThat(store.list()).extracting(NodeHeartbeat::name).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(store.list().get(0)).isEqualTo(later);
        assertThat(store.list().get(0).oldestMessageSeconds()).as("an empty queue has no oldest message").isNull();
    }

    @Test
    void delete_forgets_a_node() {
        store.beat(new NodeHeartbeat("old.example.com", "1.0", STARTED, STARTED, true, 0, null));

        assertThat(store.delete("old.example.com")).isTrue();
        assertThat(store.delete("old.example.com")).isFalse();
        assertThat(store.list()).isEmpty();
    }

    @Test
    void delete_if_silent_since_keeps_a_node_seen_after_the_cutoff() {
        store.beat(new NodeHeartbeat("live.example.com", "1.0", STARTED, STARTED.plusSeconds(61), true, 0, null));
        store.beat(new NodeHeartbeat("dead.example.com", "1.0", STARTED, STARTED.plusSeconds(60), true, 0, null));

        assertThat(store.deleteIfSilentSince("live.example.com", STARTED.plusSeconds(60))).isFalse();
        assertThat(store.deleteIfSilentSince("dead.example.com", STARTED.plusSeconds(60))).as("seen exactly at the cutoff").isTrue();
        assertThat(store.list()).extracting(NodeHeartbeat::name).containsExactly("live.example.com");
        assertThat(store.find("live.example.com")).isPresent();
        assertThat(store.find("dead.example.com")).isEmpty();
    }

    @Test
    void a_node_is_down_once_it_has_not_been_seen_for_a_minute() {
        NodeHeartbeat beat = new NodeHeartbeat("mx1.example.com", "1.4.0", STARTED, STARTED.plusSeconds(15), true, 0, null);

        assertThat(beat.state(STARTED.plusSeconds(15))).isEqualTo(NodeHeartbeat.State.UP);
        assertThat(beat.state(STARTED.plusSeconds(15).plus(Duration.ofSeconds(59)))).isEqualTo(NodeHeartbeat.State.UP);
        assertThat(beat.state(STARTED.plusSeconds(15).plus(Duration.ofMinutes(1)))).isEqualTo(NodeHeartbeat.State.DOWN);
    }

    @Test
    void remote_looking_text_is_cut_to_the_column_and_a_blank_name_is_refused() {
        store.beat(new NodeHeartbeat("n".repeat(300), "v\0".repeat(40), STARTED, STARTED, true, 0, null));

        NodeHeartbeat read = store.list().get(0);
        assertThat(read.name()).hasSize(255);
        assertThat(read.version()).hasSize(64).doesNotContain("\0");
        assertThatThrownBy(() -> new NodeHeartbeat(" ", "1", STARTED, STARTED, true, 0, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
