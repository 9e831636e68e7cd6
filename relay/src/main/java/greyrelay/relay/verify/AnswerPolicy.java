package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainTrait;
import greyrelay.relay.smtpclient.ServerReply;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Pure rules of what verification answers: a cached verdict, a finished probe, or a domain's profile during a burst
 * freeze, turned into the {@link SenderStatus} or {@link RecipientStatus} the checks reply from. No I/O, no clock:
 * callers pass {@code now}. {@link CachePolicy} beside it decides what is stored and when it is stale; this class
 * decides what a client is told.
 */
final class AnswerPolicy {
    private final CachePolicy cache;
    private final Duration profileTtl;

    /**
     * @param cache      for whether a stored rejection is confirmed (may be answered with a 5xx)
     * @param profileTtl how long a learned domain trait counts ({@code verification.cache.profileTtl})
     */
    AnswerPolicy(CachePolicy cache, Duration profileTtl) {
        this.cache = cache;
        this.profileTtl = profileTtl;
    }

    /** A verdict answered from the cache. */
    SenderStatus cached(CacheEntry e) {
        return fromEntry(e, true);
    }

    /** A rejection whose re-probe has not said anything new yet: answered softly, never with a 5xx. */
    SenderStatus reprobePending(CacheEntry e) {
        return new SenderStatus.Undeliverable(false, "cached, re-probe pending: " + e.replyCode() + " " + e.replyText(), true);
    }

    /**
     * What a probe request came to.
     *
     * @param fallback the answer while a rejection is re-probed ({@link #reprobePending}); it stands when the probe did
     *                 not run or only kept the older verdict after a temporary failure
     * @param domain   the sender's domain, for a budget answer
     */
    SenderStatus afterProbe(ProbeEnd end, Optional<SenderStatus> fallback, String domain) {
        return switch (end) {
            case ProbeEnd.NotRun n -> fallback.orElse(n.status());
            case ProbeEnd.Probed p -> {
                ProbeResult result = p.outcome().result();
                if (p.stored().isPresent()) {
                    CacheEntry e = p.stored().get();
                    boolean keptOlderVerdict = CachePolicy.statusOf(result).orElse(null) == CacheStatus.TEMPFAIL
                            && e.status().isDefinite();
                    if (keptOlderVerdict && fallback.isPresent()) yield fallback.get();
                    yield fromEntry(e, keptOlderVerdict);
                }
                yield switch (result) {
                    case ProbeResult.NoSuchDomain n -> new SenderStatus.NoSuchDomain(n.why());
                    case ProbeResult.NullMx n -> new SenderStatus.NullMx();
                    case ProbeResult.Throttled t -> new SenderStatus.BudgetExhausted(domain, t.why());
                    case ProbeResult.TempFail t -> new SenderStatus.TempFail(t.why(), false);
                    case ProbeResult.Unknown u -> new SenderStatus.TempFail(u.why(), false);
                    case ProbeResult.Deliverable d -> new SenderStatus.Deliverable("probe: " + d.reply(), false);
                    case ProbeResult.Undeliverable u -> new SenderStatus.Undeliverable(false, "probe: " + u.reply(), false);
                    case ProbeResult.Unverifiable u -> new SenderStatus.Unverifiable(u.why(), false);
                };
            }
        };
    }

    /** During a burst freeze ({@code why}): what the domain's profile lets us say without a probe. */
    SenderStatus duringFreeze(DomainProfile profile, String why, Instant now) {
        if (counts(profile, DomainTrait.NULL_MX, now)) return new SenderStatus.NullMx();
        if (counts(profile, DomainTrait.ACCEPTS_ANY, now)) {
            return new SenderStatus.Deliverable("the domain accepts every address (profile); " + why, true);
        }
        if (counts(profile, DomainTrait.UNREACHABLE, now)) {
            return new SenderStatus.TempFail("the domain's MX is unreachable (profile); " + why, true);
        }
        if (counts(profile, DomainTrait.GREYLISTS_PROBES, now)) {
            return new SenderStatus.TempFail("the domain greylists our probes (profile); " + why, true);
        }
        return new SenderStatus.BudgetExhausted(profile.domain(), why);
    }

    /** Whether the domain's profile says {@code trait}, learned recently enough to count at {@code now}. */
    boolean counts(DomainProfile profile, DomainTrait trait, Instant now) {
        return profile.has(trait, now.minus(profileTtl));
    }

    /** The client waited {@code maxWait} and the probe is still running. */
    static SenderStatus stillRunning(Duration maxWait) {
        return new SenderStatus.Pending("probe still running after " + maxWait.toMillis() + " ms; it finishes in the background");
    }

    /** The connection has started its share of probes ({@code verification.budget.perConnection}). */
    static SenderStatus connectionSpent(String domain, int started) {
        return new SenderStatus.BudgetExhausted(domain, "this connection has started " + started + " probes already");
    }

    private SenderStatus fromEntry(CacheEntry e, boolean cached) {
        String why = (cached ? "cached: " : "probe: ") + (e.replyCode() == null ? "" : e.replyCode() + " ")
                + (e.replyText() == null ? "" : e.replyText());
        return switch (e.status()) {
            case VALID -> new SenderStatus.Deliverable(why, cached);
            case INVALID -> new SenderStatus.Undeliverable(cache.isConfirmed(e), why, cached);
            case TEMPFAIL -> new SenderStatus.TempFail(why, cached);
            case UNVERIFIABLE -> new SenderStatus.Unverifiable(why, cached);
        };
    }

    /** A recipient's verdict answered from the cache. */
    static RecipientStatus recipientCached(CacheEntry e) {
        String why = "cached: " + e.replyCode() + " " + e.replyText();
        return switch (e.status()) {
            case VALID -> new RecipientStatus.Exists(why);
            case INVALID -> new RecipientStatus.Unknown(why);
            case TEMPFAIL, UNVERIFIABLE -> new RecipientStatus.TempFail(why);
        };
    }

    /** What our downstream said about a recipient: only a 2xx or 5xx at RCPT decides, anything else is temporary. */
    static RecipientStatus recipientProbed(ProbeResult r) {
        String why = "downstream: " + r.serverReply().map(ServerReply::toString).orElseGet(() -> r.detail().orElse(r.outcome()));
        return switch (r) {
            case ProbeResult.Deliverable d -> new RecipientStatus.Exists(why);
            case ProbeResult.Undeliverable u -> new RecipientStatus.Unknown(why);
            default -> new RecipientStatus.TempFail(why);
        };
    }
}
