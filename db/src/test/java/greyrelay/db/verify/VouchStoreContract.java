package greyrelay.db.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.ClassDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the vouching store promises, on H2 ({@link H2VouchStoreTest}) and PostgreSQL ({@link PostgresVouchStoreTest}). */
abstract class VouchStoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final Duration HOUR = Duration.ofHours(1);

    private final ClassDatabase db;
    VouchStore store;

    VouchStoreContract(ClassDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.deleteAllRows("vouch_network", "vouch_tally");
        store = new VouchStore(db.database());
    }

    @Test
    void a_learned_network_is_known_for_its_domain_only_and_only_since_it_was_seen() {
        assertThat(store.learn("Example.ORG", "198.51.100.0/24", T0, T0.minus(HOUR))).isTrue();

        assertThat(store.isKnown("example.org", "198.51.100.0/24", T0.minus(Duration.ofDays(35)))).isTrue();
        assertThat(store.isKnown("EXAMPLE.org", "198.51.100.0/24", T0)).isTrue();
        assertThat(store.isKnown("example.org", "198.51.100.0/24", T0.plusSeconds(1))).isFalse();
        assertThat(store.isKnown("example.org", "203.0.113.0/24", T0.minus(HOUR))).isFalse();
        assertThat(store.isKnown("example.net", "198.51.100.0/24", T0.minus(HOUR))).isFalse();
    }

    @Test
    void learning_again_moves_last_seen_at_most_once_per_interval() {
        store.learn("example.org", "2001:db8:1::/64", T0, T0.minus(HOUR));
        assertThat(store.learn("example.org", "2001:db8:1::/64", T0.plusSeconds(60), T0.plusSeconds(60).minus(HOUR))).isFalse();
        Instant later = T0.plus(Duration.ofHours(2));
        assertThat(store.learn("example.org", "2001:db8:1::/64", later, later.minus(HOUR))).isTrue();

        assertThat(store.networks("example.org", T0.minus(HOUR), 10)).containsExactly(
                new LearnedNetwork("example.org", "2001:db8:1::/64", T0, later, 2));
    }

    @Test
    void networks_lists_the_recent_ones_newest_first_and_cleanup_drops_the_old() {
        store.learn("example.org", "192.0.2.0/24", T0, T0);
        store.learn("example.org", "198.51.100.0/24", T0.plus(HOUR), T0);
        store.learn("example.net", "203.0.113.0/24", T0, T0);

        assertThat(store.networks("example.org", T0, 10)).extracting(LearnedNetwork::network)
                .containsExactly("198.51.100.0/24", "192.0.2.0/24");
        assertThat(store.networks("example.org", T0.plusSeconds(1), 10)).extracting(LearnedNetwork::network)
                .containsExactly("198.51.100.0/24");

        assertThat(store.deleteNetworksNotSeenSince(T0.plusSeconds(1), 1)).isEqualTo(1);
        assertThat(store.deleteNetworksNotSeenSince(T0.plusSeconds(1), 10)).isEqualTo(1);
        assertThat(store.networks("example.org", T0.minus(HOUR), 10)).extracting(LearnedNetwork::network)
                .containsExactly("198.51.100.0/24");
        assertThat(store.networks("example.net", T0.minus(HOUR), 10)).isEmpty();
    }

    @Test
    void vouches_are_counted_per_domain_and_reason() {
        store.vouched("example.org", "spf", T0);
        store.vouched("Example.org", "spf", T0.plusSeconds(5));
        store.vouched("example.org", "known-network", T0.plusSeconds(7));
        store.vouched("example.net", "spf", T0);

        assertThat(store.tallies("example.org")).containsExactly(
                new VouchTally("example.org", "known-network", 1, T0.plusSeconds(7), T0.plusSeconds(7)),
                new VouchTally("example.org", "spf", 2, T0, T0.plusSeconds(5)));
        assertThat(store.deleteTalliesIdleSince(T0.plusSeconds(6), 10)).isEqualTo(2);
        assertThat(store.tallies("example.org")).extracting(VouchTally::reason).containsExactly("known-network");
    }

    @Test
    void a_second_node_sees_what_the_first_learned() {
        store.learn("example.org", "198.51.100.0/24", T0, T0);
        VouchStore other = new VouchStore(db.secondNode());
        assertThat(other.isKnown("example.org", "198.51.100.0/24", T0)).isTrue();
        other.vouched("example.org", "spf", T0);
        assertThat(store.tallies("example.org")).extracting(VouchTally::vouched).containsExactly(1L);
    }
}
