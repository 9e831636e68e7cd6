package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.RecipientVerificationConfig;
import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.smtpclient.ServerReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure rules of the verdict cache: what to store after a probe, and what a stored verdict means now. No I/O, no
 * clock: callers pass {@code now} (read once per decision).
 *
 * <p>Lifetimes (see README, "Callback verification: cache lifetimes"): a good verdict lives {@code positiveTtl} and
 * is renewed in the background after {@code positiveRefresh}; a rejection lives {@code negativeTtl}. A rejection is
 * answered {@code 451 4.1.7} until it is confirmed by a fresh probe at least {@code confirmAfter} after the first one
 * (or at once, or never, per {@code confirm}); a confirmed rejection is re-probed inline after {@code negativeRefresh},
 * and while that probe has not answered the client gets the soft 451, never a 5xx from an old verdict. A temporary
 * failure lives {@code tempFailTtl} (shorter than the greylisting delay, so a client's retry gets a fresh probe) and
 * never replaces an unexpired definite verdict: that verdict stays and is retried after {@code tempFailTtl}.
 */
public final class CachePolicy {

    /** The lifetimes and the confirmation rule. */
    public record Lifetimes(Duration positiveTtl, Duration positiveRefresh, Duration negativeTtl, Duration negativeRefresh,
            Duration tempFailTtl, Duration unverifiableTtl, VerificationConfig.Confirm confirm, Duration confirmAfter) {

        public static Lifetimes from(VerificationConfig v) {
            VerificationConfig.Cache c = v.cache();
            return new Lifetimes(c.positiveTtl(), c.positiveRefresh(), c.negativeTtl(), c.negativeRefresh(), c.tempFailTtl(),
                    c.unverifiableTtl(), v.confirm(), v.confirmAfter());
        }

        /**
         * Recipient verification's ({@code recipientVerification.*}): each verdict lives its TTL and is never renewed
         * ahead of it; our own downstream's 5xx is believed at once; an unverifiable answer counts as temporary.
         */
        public static Lifetimes forRecipients(RecipientVerificationConfig r) {
            return new Lifetimes(r.positiveTtl(), r.positiveTtl(), r.negativeTtl(), r.negativeTtl(), r.tempFailTtl(),
                    r.tempFailTtl(), VerificationConfig.Confirm.IMMEDIATELY, Duration.ZERO);
        }
    }

    /** What a stored verdict means at one instant. */
    public sealed interface Cached {
        /** Nothing usable: probe. */
        record Miss() implements Cached {}

        /** Answer from the entry. */
        record Fresh(CacheEntry entry) implements Cached {}

        /** Answer from the entry, and renew it with a background probe. */
        record Refresh(CacheEntry entry) implements Cached {}

        /**
         * A rejection due for another look: probe now (inline); if that probe cannot answer in time, answer the entry
         * softly (451 4.1.7, never 550).
         */
        record Reprobe(CacheEntry entry) implements Cached {}
    }

    private final Lifetimes lifetimes;

    public CachePolicy(Lifetimes lifetimes) {
        this.lifetimes = Objects.requireNonNull(lifetimes, "lifetimes");
    }

    public Lifetimes lifetimes() {
        return lifetimes;
    }

    public Cached answer(Optional<CacheEntry> stored, Instant now) {
        if (stored.isEmpty() || stored.get().isExpired(now)) return new Cached.Miss();
        CacheEntry e = stored.get();
        boolean due = e.isDueForRefresh(now);
        return switch (e.status()) {
            case VALID, UNVERIFIABLE -> due ? new Cached.Refresh(e) : new Cached.Fresh(e);
            case INVALID -> due ? new Cached.Reprobe(e) : new Cached.Fresh(e);
            case TEMPFAIL -> new Cached.Fresh(e);
        };
    }

    /** Whether a stored rejection may be answered with a 5xx. */
    public boolean isConfirmed(CacheEntry e) {
        if (e.status() != CacheStatus.INVALID) return false;
        return switch (lifetimes.confirm()) {
            case IMMEDIATELY -> true;
            case NEVER -> false;
            case AFTER -> e.firstRejectedAt() != null
                    && Duration.between(e.firstRejectedAt(), e.checkedAt()).compareTo(lifetimes.confirmAfter()) >= 0;
        };
    }

    /** The status a probe result is stored as; empty for results that are not about the address (not stored). */
    public static Optional<CacheStatus> statusOf(ProbeResult result) {
        return switch (result) {
            case ProbeResult.Deliverable d -> Optional.of(CacheStatus.VALID);
            case ProbeResult.Undeliverable u -> Optional.of(CacheStatus.INVALID);
            case ProbeResult.Unverifiable u -> Optional.of(CacheStatus.UNVERIFIABLE);
            case ProbeResult.Unknown u -> Optional.of(CacheStatus.TEMPFAIL);
            case ProbeResult.TempFail t -> Optional.of(CacheStatus.TEMPFAIL);
            case ProbeResult.NoSuchDomain n -> Optional.empty();
            case ProbeResult.NullMx n -> Optional.empty();
            case ProbeResult.Throttled t -> Optional.empty();
        };
    }

    /**
     * The entry to store after a probe of {@code address} finished at {@code now}, given what was stored; empty when
     * nothing is to be stored (domain-level and budget outcomes, and a lifetime of zero).
     */
    public Optional<CacheEntry> merge(Optional<CacheEntry> stored, CacheKind kind, Mailbox address, ProbeOutcome outcome,
            Instant now) {
        return mergeAny(stored, kind, address, outcome, now).filter(e -> !e.isExpired(now));
    }

    private Optional<CacheEntry> mergeAny(Optional<CacheEntry> stored, CacheKind kind, Mailbox address, ProbeOutcome outcome,
            Instant now) {
        Optional<CacheStatus> status = statusOf(outcome.result());
        if (status.isEmpty()) return Optional.empty();
        Optional<CacheEntry> live = stored.filter(e -> !e.isExpired(now));
        Integer code = outcome.result().serverReply().map(ServerReply::code).orElse(null);
        String text = outcome.result().detail().orElse(null);
        String host = outcome.answeredBy().map(ProbeTarget::host).orElse(null);
        String key = address.normalised();
        String domain = address.domain();
        return Optional.of(switch (status.get()) {
            case TEMPFAIL -> {
                if (live.isPresent() && live.get().status().isDefinite()) {
                    // a good (or bad) verdict is never overwritten by a temporary failure: keep it, look again later
                    yield live.get().withRefreshAt(now.plus(lifetimes.tempFailTtl()));
                }
                Instant until = now.plus(lifetimes.tempFailTtl());
                yield new CacheEntry(kind, key, domain, CacheStatus.TEMPFAIL, code, text, host, now, null, until, until);
            }
            case VALID -> new CacheEntry(kind, key, domain, CacheStatus.VALID, code, text, host, now, null,
                    now.plus(lifetimes.positiveRefresh()), now.plus(lifetimes.positiveTtl()));
            case UNVERIFIABLE -> {
                Instant until = now.plus(lifetimes.unverifiableTtl());
                yield new CacheEntry(kind, key, domain, CacheStatus.UNVERIFIABLE, code, text, host, now, null, until, until);
            }
            case INVALID -> {
                Instant first = live.filter(e -> e.status() == CacheStatus.INVALID && e.firstRejectedAt() != null)
                        .map(CacheEntry::firstRejectedAt).orElse(now);
                Instant expires = now.plus(lifetimes.negativeTtl());
                CacheEntry draft = new CacheEntry(kind, key, domain, CacheStatus.INVALID, code, text, host, now, first,
                        expires, expires);
                Instant refresh = isConfirmed(draft) || lifetimes.confirm() != VerificationConfig.Confirm.AFTER
                        ? now.plus(lifetimes.negativeRefresh())
                        : first.plus(lifetimes.confirmAfter());
                yield draft.withRefreshAt(refresh.isBefore(now) ? now : refresh);
            }
        });
    }
}
