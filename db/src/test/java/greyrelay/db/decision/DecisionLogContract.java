package greyrelay.db.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.testing.ClassDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link DecisionLog} promises, run against H2 ({@link H2DecisionLogTest}) and PostgreSQL
 * ({@link PostgresDecisionLogTest}). Each subclass opens one database per class; rows are cleared before each test.
 */
abstract class DecisionLogContract {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ClassDatabase db;

    DecisionLog log;

    DecisionLogContract(ClassDatabase db) {
        this.db = db;
    }

    /** The subclass's database, migrated, open for the whole class. */
    Database database() {
        return db.database();
    }

    @BeforeEach
    void emptyLog() throws SQLException {
        db.deleteAllRows("decision_log");
        log = new DecisionLog(database());
    }

    static DecisionRecord decision(Instant at, Outcome outcome, String sender, String recipient, String clientIp) {
        return new DecisionRecord(null, at, "mx1", "s1", "s1.1", "RCPT", "greylist", outcome, false,
                outcome == Outcome.DEFERRED ? 451 : 250, "reply", "why", clientIp, "mail.example.net", sender,
                recipient, null);
    }

    static DecisionRecord at(Instant when) {
        return decision(when, Outcome.DEFERRED, "jane@example.org", "bob@example.com", "192.0.2.7");
    }

    /** Short ids of the found rows, by their minute offset from T0, in result order. */
    static List<Long> minutes(List<DecisionRecord> found) {
        return found.stream().map(r -> Duration.between(T0, r.decidedAt()).toMinutes()).toList();
    }

    void appendAtMinutes(int... minuteOffsets) {
        List<DecisionRecord> records = new ArrayList<>();
        for (int minute : minuteOffsets) {
            records.add(at(T0.plus(Duration.ofMinutes(minute))));
        }
        log.appendAll(records);
    }

    @Test
    void stores_the_origin_smtp_by_default_and_policy_when_told() {
        DecisionRecord smtp = at(T0);
        DecisionRecord policy = new DecisionRecord(null, T0.plusSeconds(60), "mx1", "P1", "P1.1", "RCPT", "greylist",
                Outcome.DEFERRED, false, 451, "4.7.1 Greylisted", "new triplet", "192.0.2.7", null, "jane@example.org",
                "bob@example.com", null, DecisionRecord.POLICY);

        log.appendAll(List.of(smtp, policy));

        assertThat(log.search(DecisionQuery.newest(10))).extracting(DecisionRecord::origin).containsExactly("policy", "smtp");
    }

    @Test
    void stores_every_field_and_reads_it_back_with_a_new_id() {
        DecisionRecord full = new DecisionRecord(null, T0.plusNanos(123_456_000), "mx1", "4f2a", "4f2a.2", "RCPT",
                "sender_verification", Outcome.REJECTED, true, 550, "550 5.1.7 <jane@example.org>: undeliverable",
                "probe: 550 no such user", "2001:db8::25", "mail.example.net", "jane@example.org",
                "bob@example.com", "Q1234");

        log.appendAll(List.of(full));

        List<DecisionRecord> found = log.search(DecisionQuery.newest(10));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).id()).isNotNull();
        assertThat(found.get(0)).isEqualTo(full.withId(found.get(0).id()));
    }

    @Test
    void keeps_optional_fields_null() {
        DecisionRecord sparse = new DecisionRecord(null, T0, null, null, null, "CONNECT", "connection_limit",
                Outcome.DISCONNECTED, false, null, null, null, null, null, null, null, null);

        log.appendAll(List.of(sparse));

        DecisionRecord found = log.search(DecisionQuery.newest(1)).get(0);
        assertThat(found).isEqualTo(sparse.withId(found.id()));
        assertThat(found.replyCode()).isNull();
    }

    @Test
    void round_trips_timestamps_to_the_same_instant() {
        List<Instant> instants = List.of(
                Instant.parse("2026-03-29T00:59:59.999999Z"),      // around a DST change in Europe
                Instant.parse("1999-12-31T23:59:59.000001Z"),
                T0.plusNanos(999_999_999));                       // cut to micros at the boundary
        List<DecisionRecord> records = instants.stream().map(DecisionLogContract::at).toList();

        log.appendAll(records);

        assertThat(log.search(DecisionQuery.newest(10)))
                .extracting(DecisionRecord::decidedAt)
                .containsExactlyInAnyOrder(
                        Instant.parse("2026-03-29T00:59:59.999999Z"),
                        Instant.parse("1999-12-31T23:59:59.000001Z"),
                        T0.plusNanos(999_999_000));
    }

    @Test
    void appending_an_empty_list_writes_nothing() {
        log.appendAll(List.of());

        assertThat(log.search(DecisionQuery.newest(10))).isEmpty();
    }

    @Test
    void appends_a_batch_all_or_nothing() throws SQLException {
        // a constraint only this test adds makes the second row of the batch fail
        execute("ALTER TABLE decision_log ADD CONSTRAINT test_refuses_evil CHECK (sender <> 'evil@example.org')");
        try {
            List<DecisionRecord> batch = List.of(
                    decision(T0, Outcome.ACCEPTED, "good@example.org", "bob@example.com", "192.0.2.1"),
                    decision(T0, Outcome.ACCEPTED, "evil@example.org", "bob@example.com", "192.0.2.1"),
                    decision(T0, Outcome.ACCEPTED, "late@example.org", "bob@example.com", "192.0.2.1"));

            assertThatThrownBy(() -> log.appendAll(batch))
                    .isInstanceOf(DatabaseException.class)
                    .hasMessageStartingWith("decision log: cannot append 3 decisions: ");
            assertThat(rowCount(database())).isZero();
        } finally {
            execute("ALTER TABLE decision_log DROP CONSTRAINT test_refuses_evil");
        }
        log.appendAll(List.of(at(T0)));
        assertThat(rowCount(database())).isEqualTo(1);
    }

    @Test
    void appends_a_batch_longer_than_one_insert_statement_whole_and_in_order() {
        int n = 2 * 64 + 16 + 4 + 3; // statements of every size Jdbc.insertRows uses
        List<DecisionRecord> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(decision(T0.plusSeconds(i), Outcome.ACCEPTED, "s" + i + "@example.org", "r" + i + "@example.com",
                    "192.0.2." + (i % 250)));
        }

        log.appendAll(batch);

        List<DecisionRecord> found = log.search(DecisionQuery.newest(n + 1), greyrelay.db.Sort.asc(DecisionLog.Column.TIME));
        assertThat(found).hasSize(n);
        for (int i = 0; i < n; i++) assertThat(found.get(i)).isEqualTo(batch.get(i).withId(found.get(i).id()));
        // ids in the order given: the database assigns them row by row as the statements list them
        assertThat(found.stream().map(DecisionRecord::id).toList()).isSorted();
    }

    @Test
    void a_failing_row_after_the_multi_row_statements_stores_none_of_the_batch() throws SQLException {
        execute("ALTER TABLE decision_log ADD CONSTRAINT test_refuses_evil CHECK (sender <> 'evil@example.org')");
        try {
            List<DecisionRecord> batch = new ArrayList<>();
            for (int i = 0; i < 64; i++) batch.add(at(T0)); // one whole multi-row statement first
            batch.add(decision(T0, Outcome.ACCEPTED, "evil@example.org", "bob@example.com", "192.0.2.1"));

            assertThatThrownBy(() -> log.appendAll(batch)).isInstanceOf(DatabaseException.class);
            assertThat(rowCount(database())).isZero();
        } finally {
            execute("ALTER TABLE decision_log DROP CONSTRAINT test_refuses_evil");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void searches_newest_first() {
        appendAtMinutes(5, 1, 9, 3);

        assertThat(minutes(log.search(DecisionQuery.newest(10)))).containsExactly(9L, 5L, 3L, 1L);
    }

    @Test
    void breaks_ties_on_time_by_newest_id_first() {
        log.appendAll(List.of(
                decision(T0, Outcome.ACCEPTED, "first@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.ACCEPTED, "second@example.org", "bob@example.com", "192.0.2.1")));

        assertThat(log.search(DecisionQuery.newest(10))).extracting(DecisionRecord::sender)
                .containsExactly("second@example.org", "first@example.org");
    }

    @Test
    void pages_with_limit_and_offset() {
        appendAtMinutes(1, 2, 3, 4, 5);

        assertThat(minutes(log.search(DecisionQuery.newest(2)))).containsExactly(5L, 4L);
        assertThat(minutes(log.search(DecisionQuery.newest(2).page(2, 2)))).containsExactly(3L, 2L);
        assertThat(minutes(log.search(DecisionQuery.newest(2).page(2, 4)))).containsExactly(1L);
        assertThat(log.search(DecisionQuery.newest(2).page(2, 6))).isEmpty();
    }

    @Test
    void filters_by_sender_substring_ignoring_case() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "Jane.Doe@Example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "john@example.net", "jane@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, null, "bob@example.com", "192.0.2.1")));

        assertThat(log.search(DecisionQuery.newest(10).withSenderContains("jane.doe@EXAMPLE")))
                .extracting(DecisionRecord::sender).containsExactly("Jane.Doe@Example.org");
    }

    @Test
    void filters_by_recipient_substring_ignoring_case() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "jane@example.org", "Bob@Example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "bob@example.com", "alice@example.com", "192.0.2.1")));

        assertThat(log.search(DecisionQuery.newest(10).withRecipientContains("bob@")))
                .extracting(DecisionRecord::recipient).containsExactly("Bob@Example.com");
    }

    @Test
    void takes_like_wildcards_in_search_text_literally() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "a_b@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "axb@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "100%!x@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "1000x@example.org", "bob@example.com", "192.0.2.1")));

        assertThat(log.search(DecisionQuery.newest(10).withSenderContains("a_b")))
                .extracting(DecisionRecord::sender).containsExactly("a_b@example.org");
        assertThat(log.search(DecisionQuery.newest(10).withSenderContains("0%!")))
                .extracting(DecisionRecord::sender).containsExactly("100%!x@example.org");
    }

    @Test
    void filters_by_exact_client_ip() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "a@example.org", "bob@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "b@example.org", "bob@example.com", "192.0.2.70"),
                decision(T0, Outcome.DEFERRED, "c@example.org", "bob@example.com", "2001:db8::7")));

        assertThat(log.search(DecisionQuery.newest(10).withClientIp("192.0.2.7")))
                .extracting(DecisionRecord::sender).containsExactly("a@example.org");
        assertThat(log.search(DecisionQuery.newest(10).withClientIp("2001:db8::7")))
                .extracting(DecisionRecord::sender).containsExactly("c@example.org");
    }

    @Test
    void filters_by_outcome() {
        log.appendAll(List.of(
                decision(T0, Outcome.ACCEPTED, "a@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.REJECTED, "r@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "d@example.org", "bob@example.com", "192.0.2.1")));

        assertThat(log.search(DecisionQuery.newest(10).withOutcome(Outcome.REJECTED)))
                .extracting(DecisionRecord::sender).containsExactly("r@example.org");
    }

    @Test
    void filters_by_time_from_inclusive_to_exclusive() {
        appendAtMinutes(0, 1, 2, 3, 4);

        DecisionQuery window = DecisionQuery.newest(10).between(T0.plusSeconds(60), T0.plusSeconds(180));
        assertThat(minutes(log.search(window))).containsExactly(2L, 1L);
        assertThat(minutes(log.search(DecisionQuery.newest(10).between(T0.plusSeconds(180), null))))
                .containsExactly(4L, 3L);
        assertThat(minutes(log.search(DecisionQuery.newest(10).between(null, T0.plusSeconds(60)))))
                .containsExactly(0L);
    }

    @Test
    void combines_filters_with_and() {
        log.appendAll(List.of(
                decision(T0, Outcome.REJECTED, "jane@example.org", "bob@example.com", "192.0.2.7"),
                decision(T0.plusSeconds(60), Outcome.REJECTED, "jane@example.org", "bob@example.com", "192.0.2.8"),
                decision(T0.plusSeconds(120), Outcome.ACCEPTED, "jane@example.org", "bob@example.com", "192.0.2.7"),
                decision(T0.plusSeconds(180), Outcome.REJECTED, "john@example.org", "bob@example.com", "192.0.2.7"),
                decision(T0.plusSeconds(240), Outcome.REJECTED, "jane@example.org", "eve@example.com",
                        "192.0.2.7")));

        DecisionQuery query = DecisionQuery.newest(10).withSenderContains("jane").withRecipientContains("bob")
                .withClientIp("192.0.2.7").withOutcome(Outcome.REJECTED).between(T0, T0.plusSeconds(3600));

        assertThat(minutes(log.search(query))).containsExactly(0L);
    }

    @Test
    void truncates_over_long_remote_text_instead_of_failing() {
        String longAddress = "x".repeat(400) + "@example.org";
        DecisionRecord record = new DecisionRecord(null, T0, "mx1", "s", "s.1", "RCPT", "sender_verification",
                Outcome.DEFERRED, false, 451, "4".repeat(5000), "r".repeat(5000), "1".repeat(100),
                "h".repeat(1000), longAddress, longAddress, "q".repeat(100));

        log.appendAll(List.of(record));

        DecisionRecord found = log.search(DecisionQuery.newest(1)).get(0);
        assertThat(found.replyText()).hasSize(1000);
        assertThat(found.reason()).hasSize(1000);
        assertThat(found.clientIp()).hasSize(64);
        assertThat(found.helo()).hasSize(255);
        assertThat(found.sender()).hasSize(320).isEqualTo(longAddress.substring(0, 320));
        assertThat(found.recipient()).hasSize(320);
        assertThat(found.queueId()).hasSize(64);
    }

    @Test
    void stores_nul_characters_from_remote_text_as_replacement_characters() {
        DecisionRecord record = new DecisionRecord(null, T0, "mx1", "s", "s.1", "RCPT", "helo", Outcome.REJECTED,
                false, 501, "501 bad\0reply", null, "192.0.2.1", "evil\0.example", "a@example.org", null, null);

        log.appendAll(List.of(record));

        DecisionRecord found = log.search(DecisionQuery.newest(1)).get(0);
        assertThat(found.helo()).isEqualTo("evil\uFFFD.example");
        assertThat(found.replyText()).isEqualTo("501 bad\uFFFDreply");
    }

    @Test
    void stores_non_ascii_text_unchanged() {
        DecisionRecord record = decision(T0, Outcome.ACCEPTED, "jürgen@exämple.org", "дмитрий@example.com",
                "192.0.2.1");
        DecisionRecord withEmoji = new DecisionRecord(null, T0, "mx1", "s", "s.1", "RCPT", "helo", Outcome.ACCEPTED,
                false, 250, "250 ok \uD83D\uDCE7", null, null, null, null, null, null);

        log.appendAll(List.of(record, withEmoji));

        assertThat(log.search(DecisionQuery.newest(10).withSenderContains("JÜRGEN")))
                .extracting(DecisionRecord::recipient).containsExactly("дмитрий@example.com");
        assertThat(log.search(DecisionQuery.newest(10))).extracting(DecisionRecord::replyText)
                .contains("250 ok \uD83D\uDCE7");
    }

    @Test
    void trims_only_decisions_older_than_the_cutoff() {
        appendAtMinutes(0, 1, 2, 3, 4);

        int deleted = log.deleteOlderThan(T0.plusSeconds(120), 100);

        assertThat(deleted).isEqualTo(2);
        assertThat(minutes(log.search(DecisionQuery.newest(10)))).containsExactly(4L, 3L, 2L);
    }

    @Test
    void trims_at_most_batch_size_rows_per_call_oldest_first() {
        appendAtMinutes(3, 0, 4, 1, 2, 9);
        Instant cutoff = T0.plusSeconds(5 * 60);

        assertThat(log.deleteOlderThan(cutoff, 2)).isEqualTo(2);
        assertThat(minutes(log.search(DecisionQuery.newest(10)))).containsExactly(9L, 4L, 3L, 2L);
        assertThat(log.deleteOlderThan(cutoff, 2)).isEqualTo(2);
        assertThat(log.deleteOlderThan(cutoff, 2)).isEqualTo(1);
        assertThat(log.deleteOlderThan(cutoff, 2)).isZero();
        assertThat(minutes(log.search(DecisionQuery.newest(10)))).containsExactly(9L);
    }

    @Test
    void refuses_a_batch_size_below_one() {
        assertThatThrownBy(() -> log.deleteOlderThan(T0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void counts_decisions_by_outcome_since_a_time() {
        log.appendAll(List.of(
                decision(T0.minusSeconds(1), Outcome.REJECTED, "old@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0, Outcome.REJECTED, "a@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(1), Outcome.DEFERRED, "b@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(2), Outcome.DEFERRED, "c@example.org", "bob@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(3), Outcome.ACCEPTED, "d@example.org", "bob@example.com", "192.0.2.1")));

        Map<Outcome, Long> counts = log.countByOutcome(T0);

        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                Outcome.ACCEPTED, 1L, Outcome.DEFERRED, 2L, Outcome.REJECTED, 1L, Outcome.DISCONNECTED, 0L));
    }

    @Test
    void finds_one_decision_by_id() {
        log.appendAll(List.of(at(T0), decision(T0, Outcome.REJECTED, "x@example.org", "bob@example.com", "192.0.2.9")));
        DecisionRecord rejected = log.search(DecisionQuery.newest(10).withOutcome(Outcome.REJECTED)).get(0);

        assertThat(log.find(rejected.id())).contains(rejected);
        assertThat(log.find(rejected.id() + 1000)).isEmpty();
    }

    @Test
    void lists_the_decisions_of_one_session_oldest_first() {
        DecisionRecord other = new DecisionRecord(null, T0, "mx1", "s2", "s2.1", "RCPT", "greylist", Outcome.DEFERRED,
                false, 451, "r", "w", "192.0.2.1", "h", "a@example.org", "b@example.com", null);
        log.appendAll(List.of(at(T0.plusSeconds(60)), other, at(T0)));

        assertThat(minutes(log.forSession("s1", 10))).containsExactly(0L, 1L);
        assertThat(log.forSession("s2", 10)).extracting(DecisionRecord::sessionId).containsExactly("s2");
        assertThat(log.forSession("s1", 1)).hasSize(1);
    }

    @Test
    void counts_enforced_decisions_per_time_bucket_outcome_and_check() {
        DecisionRecord observed = new DecisionRecord(null, T0, "mx1", "s1", "s1.1", "RCPT", "greylist", Outcome.DEFERRED,
                true, 451, "r", "w", "192.0.2.1", "h", "a@example.org", "b@example.com", null);
        log.appendAll(List.of(
                decision(T0.minusSeconds(1), Outcome.DEFERRED, "before@example.org", "b@example.com", "192.0.2.1"),
                decision(T0, Outcome.DEFERRED, "a@example.org", "b@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(3599), Outcome.DEFERRED, "a@example.org", "b@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(3600), Outcome.ACCEPTED, "a@example.org", "b@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(2 * 3600 + 5), Outcome.REJECTED, "a@example.org", "b@example.com", "192.0.2.1"),
                decision(T0.plusSeconds(3 * 3600), Outcome.REJECTED, "after@example.org", "b@example.com", "192.0.2.1"),
                observed));

        List<BucketCount> counts = log.histogram(T0, Duration.ofHours(1), 3);

        assertThat(counts).containsExactlyInAnyOrder(
                new BucketCount(0, Outcome.DEFERRED, "greylist", 2),
                new BucketCount(1, Outcome.ACCEPTED, "greylist", 1),
                new BucketCount(2, Outcome.REJECTED, "greylist", 1));
    }

    @Test
    void buckets_a_histogram_from_an_instant_that_is_not_on_the_hour() {
        Instant from = T0.plusSeconds(1234);
        log.appendAll(List.of(at(from), at(from.plusSeconds(86_399)), at(from.plusSeconds(86_400))));

        assertThat(log.histogram(from, Duration.ofDays(1), 1)).containsExactly(new BucketCount(0, Outcome.DEFERRED, "greylist", 2));
    }

    @Test
    void ranks_client_ips_by_enforced_decisions_of_one_outcome() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "a@example.org", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "a@example.org", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "a@example.org", "b@example.com", "2001:db8::1"),
                decision(T0, Outcome.DEFERRED, "a@example.org", "b@example.com", null),
                decision(T0, Outcome.ACCEPTED, "a@example.org", "b@example.com", "198.51.100.1"),
                decision(T0.minusSeconds(1), Outcome.DEFERRED, "a@example.org", "b@example.com", "198.51.100.2")));

        assertThat(log.topClientIps(Outcome.DEFERRED, T0, 10))
                .containsExactly(new KeyCount("192.0.2.7", 2), new KeyCount("2001:db8::1", 1));
        assertThat(log.topClientIps(Outcome.DEFERRED, T0, 1)).hasSize(1);
    }

    @Test
    void ranks_sender_domains_lower_cased_after_the_last_at_sign() {
        log.appendAll(List.of(
                decision(T0, Outcome.DEFERRED, "a@Example.ORG", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "\"x@y\"@example.org", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "c@example.net", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, "", "b@example.com", "192.0.2.7"),
                decision(T0, Outcome.DEFERRED, null, "b@example.com", "192.0.2.7")));

        assertThat(log.topSenderDomains(Outcome.DEFERRED, T0, 10))
                .containsExactly(new KeyCount("example.org", 2), new KeyCount("example.net", 1));
    }

    @Test
    void reports_a_closed_database_as_a_one_line_database_exception() throws SQLException {
        // a store over a closed pool: what the relay sees when the database goes away
        Database closed = closedDatabase();
        DecisionLog broken = new DecisionLog(closed);

        assertThatThrownBy(() -> broken.appendAll(List.of(at(T0))))
                .isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("decision log: cannot append 1 decisions: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> broken.search(DecisionQuery.newest(1)))
                .isInstanceOf(DatabaseException.class).hasMessageStartingWith("decision log: search failed: ");
    }

    /** A second database of the same kind, closed at once. */
    Database closedDatabase() {
        return db.closedDatabase();
    }

    static long rowCount(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM decision_log")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
