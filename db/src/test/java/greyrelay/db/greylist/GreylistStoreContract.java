package greyrelay.db.greylist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.Sort;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.db.testing.ClassDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link GreylistStore} and {@link TrapBlockStore} promise, run against H2 ({@link H2GreylistStoreTest}) and
 * PostgreSQL ({@link PostgresGreylistStoreTest}). Each subclass opens one database per class; rows are cleared before
 * each test.
 */
abstract class GreylistStoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final TripletKey KEY = new TripletKey("192.0.2.0/24", "jane@example.org", "john@example.com");

    private final ClassDatabase db;

    GreylistStore store;
    TrapBlockStore traps;

    GreylistStoreContract(ClassDatabase db) {
        this.db = db;
    }

    Database database() {
        return db.database();
    }

    /** Another node on the same database: a second pool (PostgreSQL) or the same database (H2, one process). */
    Database secondNode() {
        return db.secondNode();
    }

    /** A database of the same kind, closed. */
    Database closedDatabase() {
        return db.closedDatabase();
    }

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("greylist_triplet", "greylist_client", "greylist_trap_block");
        store = new GreylistStore(database());
        traps = new TrapBlockStore(database());
    }

    static GreylistEntry grey(TripletKey key, Instant at) {
        return new GreylistEntry(key, at, at, null, 1, at.plus(Duration.ofDays(2)));
    }

    @Test
    void writes_a_batch_of_queued_writes_in_order_and_leaves_a_row_another_node_inserted_first() {
        TripletKey passedKey = new TripletKey("198.51.100.0/24", "jane@example.org", "john@example.com");
        TripletKey raced = new TripletKey("203.0.113.0/24", "jane@example.org", "john@example.com");
        store.insertIfAbsent(grey(raced, T0));
        store.insertIfAbsent(grey(passedKey, T0));
        assertThat(store.markPassed(grey(passedKey, T0), T0.plusSeconds(400), T0.plus(Duration.ofDays(35)))).isTrue();
        Instant later = T0.plusSeconds(100);

        store.writeAll(List.of(
                new GreylistWrite.Insert(grey(KEY, T0)),
                new GreylistWrite.Attempt(grey(KEY, T0), later), // queued after its insert: finds the row
                new GreylistWrite.Insert(grey(raced, T0.plusSeconds(1))), // another node was first: its row stays
                new GreylistWrite.Touch(passedKey, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(36))),
                new GreylistWrite.CountPass("198.51.100.0/24", T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35))),
                new GreylistWrite.CountPass("198.51.100.0/24", T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35)))));

        assertThat(store.find(KEY).orElseThrow()).satisfies(e -> {
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.lastSeen()).isEqualTo(later);
        });
        assertThat(store.find(raced).orElseThrow().firstSeen()).isEqualTo(T0);
        assertThat(store.find(passedKey).orElseThrow().lastSeen()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(store.client("198.51.100.0/24").orElseThrow().passes()).isEqualTo(2);
    }

    @Test
    void finds_nothing_for_an_unknown_triplet() {
        assertThat(store.find(KEY)).isEmpty();
    }

    @Test
    void reads_a_triplet_and_its_client_network_in_one_go() {
        assertThat(store.read(KEY, "192.0.2.0/24")).isEqualTo(new GreylistStore.Seen(java.util.Optional.empty(),
                java.util.Optional.empty()));
        GreylistEntry e = grey(KEY, T0);
        store.insertIfAbsent(e);
        assertThat(store.read(KEY, "192.0.2.0/24").triplet()).contains(e);
        assertThat(store.read(KEY, "192.0.2.0/24").client()).isEmpty();

        store.countPass("192.0.2.0/24", T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35)));

        GreylistStore.Seen seen = store.read(KEY, "192.0.2.0/24");
        assertThat(seen.triplet()).contains(e);
        assertThat(seen.client()).contains(new ClientNetworkEntry("192.0.2.0/24", 1, T0, T0, T0.plus(Duration.ofDays(35))));
        assertThat(store.read(new TripletKey("192.0.2.0/24", "other@example.org", KEY.recipient()), "192.0.2.0/24").triplet())
                .isEmpty();
    }

    @Test
    void stores_a_new_triplet_and_reads_it_back_equal() {
        GreylistEntry e = grey(KEY, T0.plusNanos(123_456_789));

        assertThat(store.insertIfAbsent(e)).isTrue();

        assertThat(store.find(KEY)).contains(e);
        assertThat(store.find(KEY).orElseThrow().firstSeen()).isEqualTo(T0.plusNanos(123_456_000));
        assertThat(store.find(KEY).orElseThrow().passed()).isFalse();
    }

    @Test
    void keys_are_compared_exactly_so_other_triplets_stay_apart() {
        store.insertIfAbsent(grey(KEY, T0));
        TripletKey otherNet = new TripletKey("192.0.3.0/24", KEY.sender(), KEY.recipient());
        TripletKey nullSender = new TripletKey(KEY.client(), TripletKey.NULL_SENDER, KEY.recipient());

        assertThat(store.find(otherNet)).isEmpty();
        assertThat(store.insertIfAbsent(grey(nullSender, T0))).isTrue();
        assertThat(store.find(nullSender).orElseThrow().key().nullSender()).isTrue();
        assertThat(store.countTriplets()).isEqualTo(2);
    }

    @Test
    void a_second_first_sight_keeps_the_first_entry() {
        assertThat(store.insertIfAbsent(grey(KEY, T0))).isTrue();

        assertThat(store.insertIfAbsent(grey(KEY, T0.plusSeconds(60)))).isFalse();

        assertThat(store.find(KEY).orElseThrow().firstSeen()).isEqualTo(T0);
    }

    @Test
    void concurrent_first_sight_on_two_nodes_creates_exactly_one_entry() throws Exception {
        int threads = 8;
        List<GreylistStore> nodes = List.of(new GreylistStore(database()), new GreylistStore(secondNode()));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                GreylistStore node = nodes.get(i % 2);
                GreylistEntry mine = grey(KEY, T0.plusMillis(i));
                Callable<Boolean> task = () -> {
                    go.await();
                    return node.insertIfAbsent(mine);
                };
                results.add(pool.submit(task));
            }
            go.countDown();
            int created = 0;
            for (Future<Boolean> f : results) created += f.get() ? 1 : 0;

            assertThat(created).isEqualTo(1);
            assertThat(store.countTriplets()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void records_a_too_early_retry_without_restarting_the_clock() {
        GreylistEntry e = grey(KEY, T0);
        store.insertIfAbsent(e);

        assertThat(store.recordAttempt(e, T0.plusSeconds(60))).isTrue();

        GreylistEntry after = store.find(KEY).orElseThrow();
        assertThat(after.attempts()).isEqualTo(2);
        assertThat(after.firstSeen()).isEqualTo(T0);
        assertThat(after.lastSeen()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void marks_a_grey_triplet_passed_once() {
        GreylistEntry e = grey(KEY, T0);
        store.insertIfAbsent(e);
        Instant now = T0.plusSeconds(400);

        assertThat(store.markPassed(e, now, now.plus(Duration.ofDays(35)))).isTrue();
        assertThat(store.markPassed(e, now, now.plus(Duration.ofDays(35)))).as("already passed").isFalse();
        assertThat(store.recordAttempt(e, now)).as("no attempts after passing").isFalse();

        GreylistEntry after = store.find(KEY).orElseThrow();
        assertThat(after.passedAt()).isEqualTo(now);
        assertThat(after.lastSeen()).isEqualTo(now);
        assertThat(after.attempts()).as("the first deferral and the passing retry").isEqualTo(e.attempts() + 1);
        assertThat(after.expiresAt()).isEqualTo(now.plus(Duration.ofDays(35)));
    }

    @Test
    void a_write_based_on_a_stale_read_is_refused() {
        GreylistEntry stale = grey(KEY, T0);
        store.insertIfAbsent(stale);
        GreylistEntry restarted = grey(KEY, T0.plus(Duration.ofDays(3)));
        assertThat(store.restart(stale, restarted)).isTrue();

        assertThat(store.markPassed(stale, T0.plusSeconds(400), T0.plus(Duration.ofDays(35)))).isFalse();
        assertThat(store.restart(stale, grey(KEY, T0.plus(Duration.ofDays(4))))).isFalse();
        assertThat(store.find(KEY)).contains(restarted);
    }

    @Test
    void touching_moves_last_use_forward_only() {
        GreylistEntry e = grey(KEY, T0);
        store.insertIfAbsent(e);
        store.markPassed(e, T0.plusSeconds(400), T0.plus(Duration.ofDays(35)));

        store.touch(KEY, T0.plus(Duration.ofDays(1)), T0.plus(Duration.ofDays(36)));
        store.touch(KEY, T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofDays(2)));

        GreylistEntry after = store.find(KEY).orElseThrow();
        assertThat(after.lastSeen()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(after.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(36)));
    }

    @Test
    void drops_expired_triplets_in_batches_oldest_first() {
        for (int i = 0; i < 5; i++) {
            TripletKey k = new TripletKey("192.0.2.0/24", "s" + i + "@example.org", "john@example.com");
            store.insertIfAbsent(new GreylistEntry(k, T0, T0, null, 1, T0.plusSeconds(i * 60L)));
        }
        Instant now = T0.plusSeconds(180); // expiry at 0, 1, 2, 3 minutes: four expired (<= now)

        assertThat(store.deleteExpiredTriplets(now, 3)).isEqualTo(3);
        assertThat(store.find(new TripletKey("192.0.2.0/24", "s0@example.org", "john@example.com"))).isEmpty();
        assertThat(store.deleteExpiredTriplets(now, 3)).isEqualTo(1);
        assertThat(store.deleteExpiredTriplets(now, 3)).isZero();
        assertThat(store.countTriplets()).isEqualTo(1);
    }

    @Test
    void inserts_many_triplets_in_batches() {
        List<GreylistEntry> many = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            many.add(grey(new TripletKey("10." + (i / 256 % 256) + "." + (i % 256) + ".0/24", "s" + i + "@example.org",
                    "john@example.com"), T0));
        }

        store.insertAll(many);

        assertThat(store.countTriplets()).isEqualTo(12_000);
        assertThat(store.find(many.get(11_999).key())).contains(many.get(11_999));
    }

    @Test
    void lists_recent_triplets_and_deletes_one() {
        store.insertIfAbsent(grey(KEY, T0));
        TripletKey other = new TripletKey("198.51.100.0/24", "a@example.org", "john@example.com");
        store.insertIfAbsent(grey(other, T0));

        assertThat(store.recent(10, 0)).extracting(GreylistEntry::key).containsExactly(other, KEY);
        assertThat(store.delete(other)).isTrue();
        assertThat(store.recent(10, 0)).extracting(GreylistEntry::key).containsExactly(KEY);
    }

    @Test
    void counts_passes_of_a_client_network() {
        String net = "192.0.2.0/24";
        Instant forget = T0.minus(Duration.ofDays(35));

        store.countPass(net, T0, forget, T0.plus(Duration.ofDays(35)));
        store.countPass(net, T0.plusSeconds(60), forget, T0.plus(Duration.ofDays(36)));

        ClientNetworkEntry c = store.client(net).orElseThrow();
        assertThat(c.passes()).isEqualTo(2);
        assertThat(c.firstSeen()).isEqualTo(T0);
        assertThat(c.lastSeen()).isEqualTo(T0.plusSeconds(60));
        assertThat(c.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(36)));
        assertThat(store.client("198.51.100.0/24")).isEmpty();
    }

    @Test
    void a_client_network_silent_for_too_long_counts_from_one_again() {
        String net = "192.0.2.0/24";
        store.countPass(net, T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35)));
        store.countPass(net, T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35)));
        Instant later = T0.plus(Duration.ofDays(40));

        store.countPass(net, later, later.minus(Duration.ofDays(35)), later.plus(Duration.ofDays(35)));

        ClientNetworkEntry c = store.client(net).orElseThrow();
        assertThat(c.passes()).isEqualTo(1);
        assertThat(c.firstSeen()).isEqualTo(later);
    }

    @Test
    void concurrent_passes_of_one_network_are_all_counted() throws Exception {
        String net = "2001:db8:1:2::/64";
        List<GreylistStore> nodes = List.of(new GreylistStore(database()), new GreylistStore(secondNode()));
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                GreylistStore node = nodes.get(i % 2);
                done.add(pool.submit(() -> {
                    go.await();
                    node.countPass(net, T0, T0.minus(Duration.ofDays(35)), T0.plus(Duration.ofDays(35)));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.client(net).orElseThrow().passes()).isEqualTo(12);
    }

    @Test
    void touching_a_client_network_and_dropping_expired_ones() {
        store.countPass("192.0.2.0/24", T0, T0, T0.plusSeconds(60));
        store.countPass("198.51.100.0/24", T0, T0, T0.plusSeconds(600));
        store.touchClient("198.51.100.0/24", T0.plusSeconds(30), T0.plusSeconds(900));

        assertThat(store.client("198.51.100.0/24").orElseThrow().lastSeen()).isEqualTo(T0.plusSeconds(30));
        assertThat(store.deleteExpiredClients(T0.plusSeconds(60), 10)).isEqualTo(1);
        assertThat(store.countClients()).isEqualTo(1);
    }

    static TrapBlock hit(String net, Instant at, String trap) {
        return new TrapBlock(net, at, at.plus(Duration.ofHours(24)), 1, "192.0.2.10", "spam@example.net", trap,
                "sent to spamtrap " + trap);
    }

    @Test
    void blocks_a_network_until_the_block_expires() {
        TrapBlock stored = traps.block(hit("192.0.2.0/24", T0, "trap@example.com"));

        assertThat(stored.hits()).isEqualTo(1);
        assertThat(stored.reason()).isEqualTo("sent to spamtrap trap@example.com");
        assertThat(traps.active("192.0.2.0/24", T0.plus(Duration.ofHours(23)))).contains(stored);
        assertThat(traps.active("192.0.2.0/24", T0.plus(Duration.ofHours(24)))).isEmpty();
        assertThat(traps.active("198.51.100.0/24", T0)).isEmpty();
    }

    @Test
    void a_hit_while_blocked_extends_the_block_and_counts() {
        traps.block(hit("192.0.2.0/24", T0, "trap@example.com"));

        TrapBlock again = traps.block(hit("192.0.2.0/24", T0.plus(Duration.ofHours(1)), "other-trap@example.com"));

        assertThat(again.hits()).isEqualTo(2);
        assertThat(again.blockedAt()).isEqualTo(T0);
        assertThat(again.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(25)));
        assertThat(again.trap()).isEqualTo("other-trap@example.com");
    }

    @Test
    void a_hit_after_an_expired_block_starts_a_new_one() {
        traps.block(hit("192.0.2.0/24", T0, "trap@example.com"));
        Instant later = T0.plus(Duration.ofDays(2));

        TrapBlock fresh = traps.block(hit("192.0.2.0/24", later, "trap@example.com"));

        assertThat(fresh.hits()).isEqualTo(1);
        assertThat(fresh.blockedAt()).isEqualTo(later);
    }

    @Test
    void lists_unblocks_and_drops_expired_blocks() {
        traps.block(hit("192.0.2.0/24", T0, "trap@example.com"));
        traps.block(hit("198.51.100.0/24", T0.plus(Duration.ofHours(1)), "trap@example.com"));
        traps.block(hit("203.0.113.0/24", T0.minus(Duration.ofDays(2)), "trap@example.com"));

        assertThat(traps.active(T0, 10)).extracting(TrapBlock::network).containsExactly("198.51.100.0/24", "192.0.2.0/24");
        assertThat(traps.unblock("198.51.100.0/24")).isTrue();
        assertThat(traps.deleteExpired(T0, 10)).isEqualTo(1);
        assertThat(traps.active(T0, 10)).extracting(TrapBlock::network).containsExactly("192.0.2.0/24");
    }

    @Test
    void stores_long_and_hostile_trap_details_cut_to_size() {
        TrapBlock b = new TrapBlock("192.0.2.0/24", T0, T0.plusSeconds(60), 1, "192.0.2.10", "x".repeat(400) + "\0",
                "trap@example.com", "r".repeat(2000));

        TrapBlock stored = traps.block(b);

        assertThat(stored.sender()).hasSize(320);
        assertThat(stored.reason()).hasSize(1000);
    }

    // ---- admin panel: search, pass, delete by id, auto-whitelisted networks ---------------------------------------

    static final Instant NOW = T0.plus(Duration.ofHours(1));
    static final TripletKey PASSED_KEY = new TripletKey("192.0.2.0/24", "bob@example.net", "john@example.com");
    static final TripletKey EXPIRED_KEY = new TripletKey("198.51.100.0/24", "jane@example.org", "mary@example.com");
    static final TripletKey SPF_KEY = new TripletKey("spf:example.org", "<>", "john@example.com");

    /** Four triplets, inserted in this order (so newest first is SPF, EXPIRED, PASSED, KEY): grey, passed, expired, grey. */
    void fourTriplets() {
        store.insertIfAbsent(grey(KEY, T0));
        store.insertIfAbsent(new GreylistEntry(PASSED_KEY, T0, T0, T0.plusSeconds(300), 1, T0.plus(Duration.ofDays(35))));
        store.insertIfAbsent(grey(EXPIRED_KEY, T0.minus(Duration.ofDays(3))));
        store.insertIfAbsent(grey(SPF_KEY, T0.plusSeconds(10)));
    }

    List<TripletKey> search(String client, String sender, String recipient, TripletState state, int limit, int offset) {
        return store.search(new TripletQuery(client, sender, recipient, state, NOW, limit, offset)).stream()
                .map(StoredTriplet::key).toList();
    }

    @Test
    void searches_triplets_by_client_sender_recipient_and_state_newest_first() {
        fourTriplets();

        assertThat(search(null, null, null, null, 10, 0)).containsExactly(SPF_KEY, EXPIRED_KEY, PASSED_KEY, KEY);
        assertThat(search("192.0.2.0/24", null, null, null, 10, 0)).containsExactly(PASSED_KEY, KEY);
        assertThat(search(null, "jane@example.org", null, null, 10, 0)).containsExactly(EXPIRED_KEY, KEY);
        assertThat(search(null, null, "john@example.com", null, 10, 0)).containsExactly(SPF_KEY, PASSED_KEY, KEY);
        assertThat(search(null, "<>", null, null, 10, 0)).containsExactly(SPF_KEY);
        assertThat(search("192.0.2.0/24", "jane@example.org", "john@example.com", null, 10, 0)).containsExactly(KEY);
        assertThat(search(null, "JANE@example.org", null, null, 10, 0)).as("exact, as stored").isEmpty();
    }

    @Test
    void tells_greylisted_passed_and_expired_triplets_apart() {
        fourTriplets();

        assertThat(search(null, null, null, TripletState.GREYLISTED, 10, 0)).containsExactly(SPF_KEY, KEY);
        assertThat(search(null, null, null, TripletState.PASSED, 10, 0)).containsExactly(PASSED_KEY);
        assertThat(search(null, null, null, TripletState.EXPIRED, 10, 0)).containsExactly(EXPIRED_KEY);
        assertThat(search("192.0.2.0/24", null, null, TripletState.PASSED, 10, 0)).containsExactly(PASSED_KEY);
        assertThat(store.search(new TripletQuery(null, null, null, null, NOW, 10, 0)))
                .extracting(t -> t.state(NOW)).containsExactly(TripletState.GREYLISTED, TripletState.EXPIRED, TripletState.PASSED,
                        TripletState.GREYLISTED);
    }

    @Test
    void pages_through_the_results() {
        fourTriplets();

        assertThat(search(null, null, null, null, 2, 0)).containsExactly(SPF_KEY, EXPIRED_KEY);
        assertThat(search(null, null, null, null, 2, 2)).containsExactly(PASSED_KEY, KEY);
        assertThat(search(null, null, null, null, 2, 4)).isEmpty();
    }

    @Test
    void passes_a_grey_triplet_by_id_from_now_on() {
        fourTriplets();
        long id = store.search(new TripletQuery(null, null, null, null, NOW, 10, 0)).get(3).id();
        Instant until = NOW.plus(Duration.ofDays(35));

        assertThat(store.passNow(id, NOW, until)).isTrue();

        StoredTriplet t = store.find(id).orElseThrow();
        assertThat(t.key()).isEqualTo(KEY);
        assertThat(t.state(NOW)).isEqualTo(TripletState.PASSED);
        assertThat(t.entry().passedAt()).isEqualTo(NOW);
        assertThat(t.entry().lastSeen()).isEqualTo(NOW);
        assertThat(t.entry().expiresAt()).isEqualTo(until);
        assertThat(t.entry().firstSeen()).isEqualTo(T0);
        assertThat(store.find(KEY)).hasValue(t.entry());
        assertThat(store.client("192.0.2.0/24")).as("a pass by hand is not counted for auto-whitelisting").isEmpty();
    }

    @Test
    void passing_an_already_passed_or_expired_triplet_keeps_its_first_pass_time_and_renews_it() {
        fourTriplets();
        List<StoredTriplet> all = store.search(new TripletQuery(null, null, null, null, NOW, 10, 0));
        long passed = all.get(2).id();
        long expired = all.get(1).id();

        store.passNow(passed, NOW, NOW.plus(Duration.ofDays(35)));
        store.passNow(expired, NOW, NOW.plus(Duration.ofDays(35)));

        assertThat(store.find(passed).orElseThrow().entry().passedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(store.find(expired).orElseThrow().state(NOW)).isEqualTo(TripletState.PASSED);
        assertThat(store.passNow(Long.MAX_VALUE, NOW, NOW)).isFalse();
    }

    @Test
    void deletes_a_triplet_by_id() {
        fourTriplets();
        long id = store.search(new TripletQuery(null, null, null, null, NOW, 1, 0)).get(0).id();

        assertThat(store.delete(id)).isTrue();

        assertThat(store.find(id)).isEmpty();
        assertThat(store.find(SPF_KEY)).isEmpty();
        assertThat(store.delete(id)).isFalse();
        assertThat(search(null, null, null, null, 10, 0)).containsExactly(EXPIRED_KEY, PASSED_KEY, KEY);
    }

    @Test
    void lists_client_networks_with_enough_passes_still_remembered_most_recent_first() {
        Instant forget = T0.minus(Duration.ofDays(35));
        for (int i = 0; i < 5; i++) store.countPass("192.0.2.0/24", T0, forget, T0.plus(Duration.ofDays(35)));
        for (int i = 0; i < 6; i++) store.countPass("2001:db8:1:2::/64", T0.plusSeconds(60), forget, T0.plus(Duration.ofDays(35)).plusSeconds(60));
        for (int i = 0; i < 2; i++) store.countPass("198.51.100.0/24", T0, forget, T0.plus(Duration.ofDays(35)));
        for (int i = 0; i < 9; i++) store.countPass("203.0.113.0/24", T0.minus(Duration.ofDays(40)), forget.minus(Duration.ofDays(40)), T0.minus(Duration.ofDays(5)));

        assertThat(store.autoWhitelisted(null, 5, NOW, 10, 0)).extracting(ClientNetworkEntry::network)
                .containsExactly("2001:db8:1:2::/64", "192.0.2.0/24");
        assertThat(store.autoWhitelisted(null, 5, NOW, 1, 1)).extracting(ClientNetworkEntry::network).containsExactly("192.0.2.0/24");
        assertThat(store.autoWhitelisted("192.0.2.0/24", 5, NOW, 10, 0)).singleElement()
                .satisfies(c -> assertThat(c.passes()).isEqualTo(5));
        assertThat(store.autoWhitelisted("198.51.100.0/24", 5, NOW, 10, 0)).isEmpty();
        assertThat(store.autoWhitelisted(null, 5, NOW, 10, 0, Sort.asc(GreylistStore.ClientColumn.PASSES)))
                .extracting(ClientNetworkEntry::network).containsExactly("192.0.2.0/24", "2001:db8:1:2::/64");
        assertThat(store.autoWhitelisted(null, 5, NOW, 1, 1, Sort.desc(GreylistStore.ClientColumn.NETWORK)))
                .extracting(ClientNetworkEntry::network).containsExactly("192.0.2.0/24");
    }

    /** The admin searches, as the store runs them; {@link #search_plans_use_an_index} EXPLAINs each. */
    static Stream<Arguments> searches() {
        return Stream.of(
                Arguments.of("newest", new TripletQuery(null, null, null, null, NOW, 51, 0)),
                Arguments.of("client", new TripletQuery("192.0.2.0/24", null, null, null, NOW, 51, 0)),
                Arguments.of("sender", new TripletQuery(null, "jane@example.org", null, null, NOW, 51, 0)),
                Arguments.of("recipient", new TripletQuery(null, null, "john@example.com", null, NOW, 51, 0)),
                Arguments.of("triplet", new TripletQuery("192.0.2.0/24", "jane@example.org", "john@example.com", null, NOW, 51, 0)),
                Arguments.of("sender greylisted", new TripletQuery(null, "jane@example.org", null, TripletState.GREYLISTED, NOW, 51, 0)),
                Arguments.of("expired", new TripletQuery(null, null, null, TripletState.EXPIRED, NOW, 51, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("searches")
    void search_plans_use_an_index(String name, TripletQuery q) throws SQLException {
        fourTriplets();
        String plan = explain(GreylistStore.searchSql(q));

        assertThat(plan).as(name).doesNotContainIgnoringCase("tableScan").doesNotContain("Seq Scan")
                .containsPattern("(?i)index|_idx|primary_key");
    }

    /** The database's plan for a statement; on PostgreSQL with sequential scans priced out, so any usable index shows. */
    String explain(GreylistStore.Built b) throws SQLException {
        boolean pg = database().dialect() == Dialect.POSTGRESQL;
        try (Connection c = database().dataSource().getConnection()) {
            try (Statement st = c.createStatement()) {
                if (pg) st.execute("SET enable_seqscan = off");
            }
            try (PreparedStatement s = c.prepareStatement("EXPLAIN " + b.sql())) {
                for (int i = 0; i < b.args().size(); i++) s.setObject(i + 1, b.args().get(i));
                StringBuilder out = new StringBuilder();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.append(rs.getString(1)).append('\n');
                }
                return out.toString();
            } finally {
                try (Statement st = c.createStatement()) {
                    if (pg) st.execute("RESET enable_seqscan");
                }
            }
        }
    }

    @Test
    void pages_through_the_blocks_in_force() {
        traps.block(hit("192.0.2.0/24", T0, "trap@example.com"));
        traps.block(hit("198.51.100.0/24", T0.plus(Duration.ofHours(1)), "trap@example.com"));
        traps.block(hit("203.0.113.0/24", T0.plus(Duration.ofHours(2)), "trap@example.com"));

        assertThat(traps.active(T0, 2, 0)).extracting(TrapBlock::network).containsExactly("203.0.113.0/24", "198.51.100.0/24");
        assertThat(traps.active(T0, 2, 2)).extracting(TrapBlock::network).containsExactly("192.0.2.0/24");
    }

    @Test
    void reports_a_closed_database_as_a_database_exception() {
        Database closed = closedDatabase();
        GreylistStore broken = new GreylistStore(closed);

        assertThatThrownBy(() -> broken.find(KEY)).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("greylist: cannot read triplet: ");
        assertThatThrownBy(() -> broken.insertIfAbsent(grey(KEY, T0))).isInstanceOf(DatabaseException.class);
        assertThatThrownBy(() -> new TrapBlockStore(closed).active("192.0.2.0/24", T0)).isInstanceOf(DatabaseException.class);
    }
}
