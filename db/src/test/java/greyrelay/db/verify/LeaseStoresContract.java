package greyrelay.db.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.ClassDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the cluster's verification leases and shared burst freezes promise, on H2 ({@link H2LeaseStoresTest}) and
 * PostgreSQL ({@link PostgresLeaseStoresTest}). Time is passed in, never read: the tests move it.
 */
abstract class LeaseStoresContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration TTL = Duration.ofSeconds(30);

    private final ClassDatabase db;
    ProbeLeases leases;
    DomainFreezes freezes;

    LeaseStoresContract(ClassDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.deleteAllRows("verification_lease", "verification_freeze");
        leases = new ProbeLeases(db.database());
        freezes = new DomainFreezes(db.database());
    }

    @Test
    void a_free_key_is_taken_and_then_held_by_one_holder_only() {
        assertThat(leases.take("probe:jane@example.org", "node-a", T0, T0.plus(TTL))).isTrue();
        assertThat(leases.take("probe:jane@example.org", "node-b", T0.plusSeconds(1), T0.plusSeconds(1).plus(TTL))).isFalse();
        assertThat(leases.find("probe:jane@example.org")).hasValueSatisfying(l -> {
            assertThat(l.holder()).isEqualTo("node-a");
            assertThat(l.expiresAt()).isEqualTo(T0.plus(TTL));
            assertThat(l.isLive(T0.plus(TTL).minusNanos(1000))).isTrue();
            assertThat(l.isLive(T0.plus(TTL))).isFalse();
        });
    }

    @Test
    void the_holder_renews_its_own_lease() {
        leases.take("probe:jane@example.org", "node-a", T0, T0.plus(TTL));
        assertThat(leases.take("probe:jane@example.org", "node-a", T0.plusSeconds(20), T0.plusSeconds(20).plus(TTL))).isTrue();
        assertThat(leases.find("probe:jane@example.org").orElseThrow().expiresAt()).isEqualTo(T0.plusSeconds(20).plus(TTL));
        assertThat(leases.take("probe:jane@example.org", "node-b", T0.plus(TTL), T0.plus(TTL).plus(TTL)))
                .as("renewed: still live past the first expiry").isFalse();
    }

    @Test
    void another_holder_takes_over_at_the_expiry_of_a_lease_never_given_back() {
        leases.take("probe:jane@example.org", "dead-node", T0, T0.plus(TTL));
        assertThat(leases.take("probe:jane@example.org", "node-b", T0.plus(TTL).minusMillis(1), T0.plus(TTL).plus(TTL))).isFalse();
        assertThat(leases.take("probe:jane@example.org", "node-b", T0.plus(TTL), T0.plus(TTL).plus(TTL))).isTrue();
        assertThat(leases.find("probe:jane@example.org").orElseThrow().holder()).isEqualTo("node-b");
        assertThat(leases.release("probe:jane@example.org", "dead-node")).as("the old holder cannot free it").isFalse();
        assertThat(leases.find("probe:jane@example.org")).isPresent();
    }

    @Test
    void a_released_lease_is_free_at_once_and_only_its_holder_releases_it() {
        leases.take("domain:example.org#0", "node-a", T0, T0.plus(TTL));
        assertThat(leases.release("domain:example.org#0", "node-b")).isFalse();
        assertThat(leases.release("domain:example.org#0", "node-a")).isTrue();
        assertThat(leases.find("domain:example.org#0")).isEmpty();
        assertThat(leases.take("domain:example.org#0", "node-b", T0.plusSeconds(1), T0.plusSeconds(1).plus(TTL))).isTrue();
    }

    @Test
    void release_all_frees_one_holders_leases_and_cleanup_drops_expired_ones() {
        leases.take("a", "node-a", T0, T0.plus(TTL));
        leases.take("b", "node-a", T0, T0.plus(TTL));
        leases.take("c", "node-b", T0, T0.plusSeconds(5));
        leases.take("d", "node-b", T0, T0.plus(TTL));
        assertThat(leases.releaseAll("node-a")).isEqualTo(2);
        assertThat(leases.deleteExpired(T0.plusSeconds(5), 100)).isEqualTo(1);
        assertThat(leases.find("c")).isEmpty();
        assertThat(leases.find("d")).isPresent();
    }

    @Test
    void of_many_holders_racing_for_one_free_key_exactly_one_wins() throws Exception {
        Database other = db.secondNode();
        ProbeLeases[] nodes = {leases, new ProbeLeases(other)};
        for (int round = 0; round < 5; round++) {
            String key = "probe:race" + round + "@example.org";
            int racers = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                List<Future<Boolean>> takes = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    ProbeLeases store = nodes[i % 2];
                    String holder = "node-" + i;
                    takes.add(pool.submit(() -> {
                        go.await();
                        return store.take(key, holder, T0, T0.plus(TTL));
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : takes) won += f.get() ? 1 : 0;
                assertThat(won).as("round %d", round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void a_freeze_is_read_back_and_only_ever_moves_later() {
        assertThat(freezes.find("example.org")).isEmpty();
        freezes.freeze("Example.ORG", T0.plusSeconds(3600), "burst of 50 new local parts on node-a");
        freezes.freeze("example.org", T0.plusSeconds(600), "an earlier end");
        assertThat(freezes.find("EXAMPLE.org")).hasValueSatisfying(f -> {
            assertThat(f.frozenUntil()).isEqualTo(T0.plusSeconds(3600));
            assertThat(f.reason()).isEqualTo("burst of 50 new local parts on node-a");
            assertThat(f.isFrozen(T0.plusSeconds(3599))).isTrue();
            assertThat(f.isFrozen(T0.plusSeconds(3600))).isFalse();
        });
        freezes.freeze("example.org", T0.plusSeconds(7200), "again");
        assertThat(freezes.find("example.org").orElseThrow().frozenUntil()).isEqualTo(T0.plusSeconds(7200));
    }

    @Test
    void a_freeze_made_through_one_node_is_seen_through_the_other_and_ended_ones_are_cleaned_up() {
        new DomainFreezes(db.secondNode()).freeze("forged.example", T0.plusSeconds(60), "burst");
        freezes.freeze("other.example", T0.plusSeconds(600), "burst");
        assertThat(freezes.find("forged.example")).isPresent();
        assertThat(freezes.deleteOver(T0.plusSeconds(60), 100)).isEqualTo(1);
        assertThat(freezes.find("forged.example")).isEmpty();
        assertThat(freezes.find("other.example")).isPresent();
    }
}
