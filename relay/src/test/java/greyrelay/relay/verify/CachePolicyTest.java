package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.Mode;
import greyrelay.relay.config.RecipientVerificationConfig;
import greyrelay.relay.config.VerificationConfig.Confirm;
import greyrelay.relay.smtpclient.ServerReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure cache rules: lifetimes, refresh, confirmation, and what a temporary failure may replace. */
class CachePolicyTest {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Mailbox JANE = new Mailbox("Jane", "example.org");

    static CachePolicy policy(Confirm confirm) {
        return new CachePolicy(new CachePolicy.Lifetimes(Duration.ofDays(31), Duration.ofDays(7), Duration.ofDays(3),
                Duration.ofHours(3), Duration.ofMinutes(3), Duration.ofDays(1), confirm, Duration.ofHours(1)));
    }

    static ProbeOutcome outcome(ProbeResult r) {
        return new ProbeOutcome(r, null, "", Duration.ofMillis(5), Set.of(), Set.of());
    }

    static final ProbeOutcome OK = outcome(new ProbeResult.Deliverable(ServerReply.of(250, "2.1.5 Ok")));
    static final ProbeOutcome NO = outcome(new ProbeResult.Undeliverable(ServerReply.of(550, "5.1.1 no such user")));
    static final ProbeOutcome BUSY = outcome(new ProbeResult.Unknown(ServerReply.of(451, "4.7.1 later"), "RCPT answered 451"));
    static final ProbeOutcome DOWN = outcome(new ProbeResult.TempFail("no MX host reachable", false));

    static CacheEntry merge(CachePolicy p, CacheEntry stored, ProbeOutcome o, Instant now) {
        return p.merge(Optional.ofNullable(stored), CacheKind.SENDER, JANE, o, now).orElseThrow();
    }

    @Test
    void a_good_result_lives_31_days_and_is_renewed_in_the_background_after_7() {
        CachePolicy p = policy(Confirm.AFTER);
        CacheEntry e = merge(p, null, OK, T0);

        assertThat(e.address()).isEqualTo("jane@example.org");
        assertThat(e.status()).isEqualTo(CacheStatus.VALID);
        assertThat(p.answer(Optional.of(e), T0.plus(Duration.ofDays(6)))).isInstanceOf(CachePolicy.Cached.Fresh.class);
        assertThat(p.answer(Optional.of(e), T0.plus(Duration.ofDays(7)))).isInstanceOf(CachePolicy.Cached.Refresh.class);
        assertThat(p.answer(Optional.of(e), T0.plus(Duration.ofDays(31)))).isInstanceOf(CachePolicy.Cached.Miss.class);
    }

    @Test
    void a_temporary_failure_never_replaces_an_unexpired_verdict_it_only_postpones_the_next_look() {
        CachePolicy p = policy(Confirm.AFTER);
        CacheEntry good = merge(p, null, OK, T0);
        Instant later = T0.plus(Duration.ofDays(8));

        CacheEntry after = merge(p, good, DOWN, later);

        assertThat(after.status()).isEqualTo(CacheStatus.VALID);
        assertThat(after.checkedAt()).isEqualTo(T0);
        assertThat(after.refreshAt()).isEqualTo(later.plus(Duration.ofMinutes(3)));
        assertThat(after.expiresAt()).isEqualTo(good.expiresAt());
        assertThat(merge(p, merge(p, null, NO, T0), BUSY, T0.plus(Duration.ofHours(1))).status()).isEqualTo(CacheStatus.INVALID);
    }

    @Test
    void a_temporary_failure_alone_is_kept_only_briefly_and_replaces_an_expired_verdict() {
        CachePolicy p = policy(Confirm.AFTER);
        CacheEntry good = merge(p, null, OK, T0);
        Instant muchLater = T0.plus(Duration.ofDays(40));

        CacheEntry temp = merge(p, good, BUSY, muchLater);

        assertThat(temp.status()).isEqualTo(CacheStatus.TEMPFAIL);
        assertThat(temp.replyCode()).isEqualTo(451);
        assertThat(temp.expiresAt()).isEqualTo(muchLater.plus(Duration.ofMinutes(3)));
        assertThat(p.answer(Optional.of(temp), muchLater.plus(Duration.ofMinutes(2)))).isInstanceOf(CachePolicy.Cached.Fresh.class);
        assertThat(p.answer(Optional.of(temp), muchLater.plus(Duration.ofMinutes(3)))).isInstanceOf(CachePolicy.Cached.Miss.class);
    }

    @Test
    void a_rejection_is_confirmed_only_by_a_probe_at_least_confirm_after_later() {
        CachePolicy p = policy(Confirm.AFTER);
        CacheEntry first = merge(p, null, NO, T0);
        assertThat(p.isConfirmed(first)).isFalse();
        assertThat(first.refreshAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(p.answer(Optional.of(first), T0.plus(Duration.ofMinutes(59)))).isInstanceOf(CachePolicy.Cached.Fresh.class);
        assertThat(p.answer(Optional.of(first), T0.plus(Duration.ofHours(1)))).isInstanceOf(CachePolicy.Cached.Reprobe.class);

        CacheEntry early = merge(p, first, NO, T0.plus(Duration.ofMinutes(30)));
        assertThat(p.isConfirmed(early)).isFalse();
        assertThat(early.firstRejectedAt()).isEqualTo(T0);

        CacheEntry second = merge(p, first, NO, T0.plus(Duration.ofHours(1)));
        assertThat(p.isConfirmed(second)).isTrue();
        assertThat(second.refreshAt()).isEqualTo(T0.plus(Duration.ofHours(4)));
        assertThat(second.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)).plus(Duration.ofDays(3)));
    }

    @Test
    void an_expired_rejection_starts_a_new_run() {
        CachePolicy p = policy(Confirm.AFTER);
        CacheEntry first = merge(p, null, NO, T0);

        CacheEntry again = merge(p, first, NO, T0.plus(Duration.ofDays(4)));

        assertThat(again.firstRejectedAt()).isEqualTo(T0.plus(Duration.ofDays(4)));
        assertThat(p.isConfirmed(again)).isFalse();
    }

    @Test
    void confirm_immediately_and_never() {
        assertThat(policy(Confirm.IMMEDIATELY).isConfirmed(merge(policy(Confirm.IMMEDIATELY), null, NO, T0))).isTrue();
        CachePolicy never = policy(Confirm.NEVER);
        CacheEntry second = merge(never, merge(never, null, NO, T0), NO, T0.plus(Duration.ofDays(2)));
        assertThat(never.isConfirmed(second)).isFalse();
        assertThat(second.refreshAt()).isEqualTo(T0.plus(Duration.ofDays(2)).plus(Duration.ofHours(3)));
    }

    @Test
    void domain_and_budget_outcomes_are_not_stored() {
        CachePolicy p = policy(Confirm.AFTER);
        assertThat(p.merge(Optional.empty(), CacheKind.SENDER, JANE, outcome(new ProbeResult.NullMx()), T0)).isEmpty();
        assertThat(p.merge(Optional.empty(), CacheKind.SENDER, JANE, outcome(new ProbeResult.NoSuchDomain("x")), T0)).isEmpty();
        assertThat(p.merge(Optional.empty(), CacheKind.SENDER, JANE, outcome(new ProbeResult.Throttled("x")), T0)).isEmpty();
        CacheEntry unverifiable = merge(p, null, outcome(new ProbeResult.Unverifiable("refuses <> and postmaster")), T0);
        assertThat(unverifiable.status()).isEqualTo(CacheStatus.UNVERIFIABLE);
        assertThat(unverifiable.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
    }

    @Test
    void a_recipient_verdict_lives_its_ttl_is_never_refreshed_early_and_a_zero_ttl_is_not_stored() {
        CachePolicy p = new CachePolicy(CachePolicy.Lifetimes.forRecipients(new RecipientVerificationConfig(true, Mode.ENFORCE,
                RecipientVerificationConfig.Source.DOWNSTREAM, List.of(), Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ZERO, Duration.ofSeconds(10), 10)));
        Mailbox john = new Mailbox("john", "example.com");

        CacheEntry known = p.merge(Optional.empty(), CacheKind.RECIPIENT, john, OK, T0).orElseThrow();
        assertThat(known.refreshAt()).isEqualTo(known.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(p.answer(Optional.of(known), T0.plus(Duration.ofMinutes(59)))).isInstanceOf(CachePolicy.Cached.Fresh.class);
        assertThat(p.answer(Optional.of(known), T0.plus(Duration.ofHours(1)))).isInstanceOf(CachePolicy.Cached.Miss.class);

        CacheEntry unknown = p.merge(Optional.empty(), CacheKind.RECIPIENT, john, NO, T0).orElseThrow();
        assertThat(p.isConfirmed(unknown)).isTrue();
        assertThat(unknown.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(p.answer(Optional.of(unknown), T0.plus(Duration.ofMinutes(9)))).isInstanceOf(CachePolicy.Cached.Fresh.class);

        assertThat(p.merge(Optional.empty(), CacheKind.RECIPIENT, john, BUSY, T0)).as("tempFailTtl 0: not stored").isEmpty();
    }
}
