package greyrelay.db.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.Sort;
import greyrelay.db.testing.ClassDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the verification stores promise, run against H2 ({@link H2VerifyStoresTest}) and PostgreSQL
 * ({@link PostgresVerifyStoresTest}). Each subclass opens one database per class; rows are cleared before each test.
 */
abstract class VerifyStoresContract {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ClassDatabase db;

    VerificationCache cache;
    ProbeLog probes;
    DomainProfiles profiles;

    VerifyStoresContract(ClassDatabase db) {
        this.db = db;
    }

    Database database() {
        return db.database();
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        db.deleteAllRows("verification_cache", "probe_log", "domain_profile");
        cache = new VerificationCache(database());
        probes = new ProbeLog(database());
        profiles = new DomainProfiles(database());
    }

    static CacheEntry entry(String address, CacheStatus status, Instant checked, Duration refresh, Duration ttl) {
        String domain = address.substring(address.indexOf('@') + 1);
        return new CacheEntry(CacheKind.SENDER, address, domain, status, status == CacheStatus.VALID ? 250 : 550,
                "2.1.5 ok", "mx1.example.org", checked, status == CacheStatus.INVALID ? checked : null,
                checked.plus(refresh), checked.plus(ttl));
    }

    // ---- verification cache ----------------------------------------------------------------------------------

    @Test
    void cache_stores_every_field_and_reads_it_back() {
        CacheEntry full = new CacheEntry(CacheKind.SENDER, "jane@example.org", "example.org", CacheStatus.INVALID, 550,
                "5.1.1 <jane@example.org>: no such user", "mx1.example.org", T0.plusNanos(123_456_789),
                T0.minus(Duration.ofHours(2)), T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofDays(1)));

        assertThat(cache.put(full)).isTrue();

        assertThat(cache.find(CacheKind.SENDER, "jane@example.org")).contains(full);
        assertThat(cache.find(CacheKind.RECIPIENT, "jane@example.org")).isEmpty();
    }

    @Test
    void cache_replaces_a_verdict_with_a_newer_definite_one() {
        cache.put(entry("jane@example.org", CacheStatus.INVALID, T0, Duration.ofHours(1), Duration.ofDays(1)));
        CacheEntry valid = entry("jane@example.org", CacheStatus.VALID, T0.plusSeconds(60), Duration.ofDays(7),
                Duration.ofDays(31));

        assertThat(cache.put(valid)).isTrue();

        assertThat(cache.find(CacheKind.SENDER, "jane@example.org")).contains(valid);
    }

    @Test
    void a_temporary_failure_never_overwrites_an_unexpired_good_result() {
        CacheEntry valid = entry("jane@example.org", CacheStatus.VALID, T0, Duration.ofDays(7), Duration.ofDays(31));
        cache.put(valid);

        boolean written = cache.put(entry("jane@example.org", CacheStatus.TEMPFAIL, T0.plus(Duration.ofDays(8)),
                Duration.ofMinutes(3), Duration.ofMinutes(3)));

        assertThat(written).isFalse();
        assertThat(cache.find(CacheKind.SENDER, "jane@example.org")).contains(valid);
    }

    @Test
    void a_temporary_failure_replaces_an_expired_good_result_and_another_temporary_failure() {
        cache.put(entry("jane@example.org", CacheStatus.VALID, T0, Duration.ofDays(7), Duration.ofDays(31)));
        CacheEntry temp = entry("jane@example.org", CacheStatus.TEMPFAIL, T0.plus(Duration.ofDays(32)),
                Duration.ofMinutes(3), Duration.ofMinutes(3));
        assertThat(cache.put(temp)).isTrue();
        CacheEntry later = entry("jane@example.org", CacheStatus.TEMPFAIL, T0.plus(Duration.ofDays(33)),
                Duration.ofMinutes(3), Duration.ofMinutes(3));

        assertThat(cache.put(later)).isTrue();

        assertThat(cache.find(CacheKind.SENDER, "jane@example.org")).contains(later);
    }

    @Test
    void cleanup_deletes_expired_rows_in_batches_and_keeps_the_rest() {
        for (int i = 0; i < 5; i++) {
            cache.put(entry("old" + i + "@example.org", CacheStatus.TEMPFAIL, T0, Duration.ofMinutes(3),
                    Duration.ofMinutes(3)));
        }
        cache.put(entry("kept@example.org", CacheStatus.VALID, T0, Duration.ofDays(7), Duration.ofDays(31)));

        assertThat(cache.deleteExpired(T0.plus(Duration.ofHours(1)), 3)).isEqualTo(3);
        assertThat(cache.deleteExpired(T0.plus(Duration.ofHours(1)), 3)).isEqualTo(2);
        assertThat(cache.deleteExpired(T0.plus(Duration.ofHours(1)), 3)).isZero();
        assertThat(cache.find(CacheKind.SENDER, "kept@example.org")).isPresent();
    }

    @Test
    void cache_lists_a_domain_newest_first_and_deletes_one_address() {
        cache.put(entry("a@example.org", CacheStatus.VALID, T0, Duration.ofDays(7), Duration.ofDays(31)));
        cache.put(entry("b@example.org", CacheStatus.VALID, T0.plusSeconds(5), Duration.ofDays(7), Duration.ofDays(31)));
        cache.put(entry("c@example.net", CacheStatus.VALID, T0, Duration.ofDays(7), Duration.ofDays(31)));

        assertThat(cache.byDomain("example.org", 10, 0)).extracting(CacheEntry::address)
                .containsExactly("b@example.org", "a@example.org");
        assertThat(cache.byDomain("example.org", 10, 0, Sort.asc(VerificationCache.Column.ADDRESS))).extracting(CacheEntry::address)
                .containsExactly("a@example.org", "b@example.org");
        assertThat(cache.delete(CacheKind.SENDER, "b@example.org")).isTrue();
        assertThat(cache.delete(CacheKind.SENDER, "b@example.org")).isFalse();
        assertThat(cache.byDomain("example.org", 10, 0)).extracting(CacheEntry::address).containsExactly("a@example.org");
    }

    // ---- probe log -------------------------------------------------------------------------------------------

    static ProbeRecord probe(Instant at, String address, String outcome, boolean cacheHit) {
        String domain = address.substring(address.indexOf('@') + 1);
        return new ProbeRecord(null, at, "mx1", "s1", CacheKind.SENDER, "INLINE", address, domain,
                cacheHit ? null : "mx1." + domain, cacheHit ? null : "192.0.2.1", outcome, cacheHit ? null : 250,
                cacheHit ? null : "2.1.5 Ok", cacheHit ? null : "C: EHLO mx.example.com\nS: 250 hi", cacheHit ? 0 : 42,
                cacheHit);
    }

    @Test
    void probe_log_stores_every_field_including_a_hostile_transcript() {
        String hostile = "S: 220 <script>alert(1)</script>\u0000\n" + "x".repeat(300_000);
        ProbeRecord full = new ProbeRecord(null, T0.plusNanos(5_000), "mx1", "4f2a", CacheKind.SENDER, "PREFETCH",
                "jane@example.org", "example.org", "mx1.example.org", "2001:db8::25", "UNDELIVERABLE", 550,
                "5.1.1 no \u0000 such", hostile, 1234, false);

        probes.appendAll(List.of(full));

        List<ProbeRecord> found = probes.search(ProbeQuery.newest(10));
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).isEqualTo(full.withId(found.get(0).id()));
        assertThat(found.get(0).transcript()).hasSize(ProbeRecord.MAX_TRANSCRIPT).startsWith("S: 220 <script>")
                .doesNotContain("\u0000");
    }

    @Test
    void probe_log_filters_by_address_domain_outcome_kind_cache_hit_and_time_and_pages() {
        List<ProbeRecord> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(probe(T0.plus(Duration.ofMinutes(i)), "user" + i + "@example.org", i % 2 == 0 ? "DELIVERABLE"
                    : "UNDELIVERABLE", i >= 8));
        }
        rows.add(probe(T0, "jane_doe@example.net", "TEMPFAIL", false));
        probes.appendAll(rows);

        assertThat(probes.search(ProbeQuery.newest(100).withAddressContains("USER3"))).extracting(ProbeRecord::address)
                .containsExactly("user3@example.org");
        assertThat(probes.search(ProbeQuery.newest(100).withAddressContains("e_d"))).extracting(ProbeRecord::address)
                .containsExactly("jane_doe@example.net");
        assertThat(probes.count(ProbeQuery.newest(1).withDomain("EXAMPLE.org"))).isEqualTo(10);
        assertThat(probes.count(ProbeQuery.newest(1).withOutcome("UNDELIVERABLE"))).isEqualTo(5);
        assertThat(probes.count(ProbeQuery.newest(1).withCacheHit(true))).isEqualTo(2);
        assertThat(probes.count(ProbeQuery.newest(1).withKind(CacheKind.RECIPIENT))).isZero();
        assertThat(probes.search(ProbeQuery.newest(100).withDomain("example.org")
                .between(T0.plus(Duration.ofMinutes(2)), T0.plus(Duration.ofMinutes(5)))))
                .extracting(ProbeRecord::address).containsExactly("user4@example.org", "user3@example.org", "user2@example.org");
        assertThat(probes.search(ProbeQuery.newest(3).withDomain("example.org").page(3, 3)))
                .extracting(ProbeRecord::address).containsExactly("user6@example.org", "user5@example.org", "user4@example.org");
    }

    @Test
    void probe_log_finds_one_record_by_id_and_nothing_for_an_unknown_id() {
        probes.appendAll(List.of(probe(T0, "a@example.org", "DELIVERABLE", false), probe(T0.plusSeconds(1), "b@example.org",
                "TEMPFAIL", true)));
        List<ProbeRecord> stored = probes.search(ProbeQuery.newest(10));

        for (ProbeRecord r : stored) {
            assertThat(probes.find(r.id())).contains(r);
        }
        long unknown = stored.stream().mapToLong(ProbeRecord::id).max().orElseThrow() + 1000;
        assertThat(probes.find(unknown)).isEmpty();
    }

    @Test
    void probe_log_sorts_newest_oldest_slowest_or_by_address_and_pages_stably() {
        probes.appendAll(List.of(
                withDuration(probe(T0, "carol@example.org", "DELIVERABLE", false), 10),
                withDuration(probe(T0.plusSeconds(10), "alice@example.org", "TEMPFAIL", false), 900),
                withDuration(probe(T0.plusSeconds(20), "bob@example.org", "DELIVERABLE", true), 0),
                withDuration(probe(T0.plusSeconds(20), "alice@example.org", "DELIVERABLE", false), 300)));
        ProbeQuery all = ProbeQuery.newest(10);

        assertThat(probes.search(all)).extracting(ProbeRecord::address)
                .containsExactly("alice@example.org", "bob@example.org", "alice@example.org", "carol@example.org");
        assertThat(probes.search(all.ordered(ProbeOrder.OLDEST))).extracting(ProbeRecord::address)
                .containsExactly("carol@example.org", "alice@example.org", "bob@example.org", "alice@example.org");
        assertThat(probes.search(all.ordered(ProbeOrder.SLOWEST))).extracting(ProbeRecord::durationMs)
                .containsExactly(900L, 300L, 10L, 0L);
        assertThat(probes.search(all.ordered(ProbeOrder.ADDRESS))).extracting(ProbeRecord::address, ProbeRecord::durationMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice@example.org", 300L),
                        org.assertj.core.groups.Tuple.tuple("alice@example.org", 900L),
                        org.assertj.core.groups.Tuple.tuple("bob@example.org", 0L),
                        org.assertj.core.groups.Tuple.tuple("carol@example.org", 10L));
        assertThat(probes.search(all.ordered(ProbeOrder.SLOWEST).page(2, 2))).extracting(ProbeRecord::durationMs)
                .containsExactly(10L, 0L);
    }

    static ProbeRecord withDuration(ProbeRecord r, long ms) {
        return new ProbeRecord(null, r.probedAt(), r.node(), r.sessionId(), r.kind(), r.origin(), r.address(), r.domain(),
                r.mxHost(), r.mxIp(), r.outcome(), r.replyCode(), r.replyText(), r.transcript(), ms, r.cacheHit());
    }

    @Test
    void probe_log_trim_drops_only_old_rows() {
        probes.appendAll(List.of(probe(T0, "a@example.org", "DELIVERABLE", false),
                probe(T0.plus(Duration.ofDays(40)), "b@example.org", "DELIVERABLE", false)));

        assertThat(probes.deleteOlderThan(T0.plus(Duration.ofDays(10)), 1000)).isEqualTo(1);

        assertThat(probes.search(ProbeQuery.newest(10))).extracting(ProbeRecord::address).containsExactly("b@example.org");
    }

    // ---- domain profiles -------------------------------------------------------------------------------------

    @Test
    void profiles_round_trip_every_trait_and_clear_traits() {
        DomainProfile p = DomainProfile.empty("Example.ORG", T0)
                .with(Set.of(DomainTrait.REFUSES_NULL_SENDER, DomainTrait.GREYLISTS_PROBES), Set.of(), T0);
        profiles.put(p);
        assertThat(profiles.find("example.org")).contains(p);

        DomainProfile later = p.with(Set.of(DomainTrait.UNREACHABLE, DomainTrait.NULL_MX, DomainTrait.ACCEPTS_ANY),
                Set.of(DomainTrait.GREYLISTS_PROBES), T0.plusSeconds(60));
        profiles.put(later);

        DomainProfile read = profiles.find("example.org").orElseThrow();
        assertThat(read).isEqualTo(later);
        assertThat(read.traits()).containsOnlyKeys(DomainTrait.REFUSES_NULL_SENDER, DomainTrait.UNREACHABLE,
                DomainTrait.NULL_MX, DomainTrait.ACCEPTS_ANY);
        assertThat(read.has(DomainTrait.REFUSES_NULL_SENDER, T0)).isTrue();
        assertThat(read.has(DomainTrait.REFUSES_NULL_SENDER, T0.plusSeconds(1))).isFalse();
    }

    @Test
    void profiles_list_newest_first_and_trim_unchanged_ones() {
        profiles.put(new DomainProfile("old.example", Map.of(DomainTrait.UNREACHABLE, T0), T0));
        profiles.put(new DomainProfile("new.example", Map.of(), T0.plus(Duration.ofDays(20))));

        assertThat(profiles.list(10, 0)).extracting(DomainProfile::domain).containsExactly("new.example", "old.example");
        assertThat(profiles.deleteUnchangedSince(T0.plus(Duration.ofDays(10)), 100)).isEqualTo(1);
        assertThat(profiles.find("old.example")).isEmpty();
        assertThat(profiles.find("new.example")).isPresent();
    }

    @Test
    void profiles_search_by_domain_substring_and_by_trait_observed_since() {
        profiles.put(new DomainProfile("mail.example.org", Map.of(DomainTrait.GREYLISTS_PROBES, T0), T0));
        profiles.put(new DomainProfile("example_1.example", Map.of(DomainTrait.GREYLISTS_PROBES, T0.plus(Duration.ofDays(5)),
                DomainTrait.NULL_MX, T0), T0.plus(Duration.ofDays(5))));
        profiles.put(new DomainProfile("quiet.example.net", Map.of(), T0.plus(Duration.ofDays(1))));

        assertThat(profiles.search(ProfileQuery.newest(10))).extracting(DomainProfile::domain)
                .containsExactly("example_1.example", "quiet.example.net", "mail.example.org");
        assertThat(profiles.search(ProfileQuery.newest(10).withDomainContains("EXAMPLE.ORG"))).extracting(DomainProfile::domain)
                .containsExactly("mail.example.org");
        assertThat(profiles.search(ProfileQuery.newest(10).withDomainContains("e_1"))).extracting(DomainProfile::domain)
                .as("_ is literal").containsExactly("example_1.example");
        assertThat(profiles.search(ProfileQuery.newest(10).withTrait(DomainTrait.GREYLISTS_PROBES, null)))
                .extracting(DomainProfile::domain).containsExactly("example_1.example", "mail.example.org");
        assertThat(profiles.search(ProfileQuery.newest(10).withTrait(DomainTrait.GREYLISTS_PROBES, T0.plus(Duration.ofDays(1)))))
                .extracting(DomainProfile::domain).containsExactly("example_1.example");
        assertThat(profiles.search(ProfileQuery.newest(10).withTrait(DomainTrait.ACCEPTS_ANY, null))).isEmpty();
        assertThat(profiles.search(ProfileQuery.newest(1).page(1, 1))).extracting(DomainProfile::domain)
                .containsExactly("quiet.example.net");

        // a trait's column: never observed comes last in either direction, ties by domain
        assertThat(profiles.search(ProfileQuery.newest(10), Sort.asc(DomainProfiles.Column.GREYLISTS_PROBES)))
                .extracting(DomainProfile::domain).containsExactly("mail.example.org", "example_1.example", "quiet.example.net");
        assertThat(profiles.search(ProfileQuery.newest(10), Sort.desc(DomainProfiles.Column.GREYLISTS_PROBES)))
                .extracting(DomainProfile::domain).containsExactly("example_1.example", "mail.example.org", "quiet.example.net");
        assertThat(profiles.search(ProfileQuery.newest(10).page(2, 1), Sort.asc(DomainProfiles.Column.DOMAIN)))
                .extracting(DomainProfile::domain).containsExactly("mail.example.org", "quiet.example.net");
        assertThat(DomainProfiles.Column.of(DomainTrait.NULL_MX).sql()).isEqualTo("null_mx_at");
    }

    @Test
    void profiles_forget_one_domain() {
        profiles.put(new DomainProfile("gone.example", Map.of(DomainTrait.UNREACHABLE, T0), T0));
        profiles.put(new DomainProfile("kept.example", Map.of(DomainTrait.UNREACHABLE, T0), T0));

        assertThat(profiles.delete("GONE.example")).isTrue();
        assertThat(profiles.delete("gone.example")).isFalse();

        assertThat(profiles.find("gone.example")).isEmpty();
        assertThat(profiles.find("kept.example")).isPresent();
    }
}
