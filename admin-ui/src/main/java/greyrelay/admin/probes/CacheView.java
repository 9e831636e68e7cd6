package greyrelay.admin.probes;

import greyrelay.admin.web.Html;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import java.time.Instant;

/**
 * A cached verdict as the panel and its API show it, with its state at the time of the request.
 *
 * @param state FRESH (answered from the cache), REFRESH_DUE (still answered, re-probed in the background at the next
 *              mail), EXPIRED (no answer any more: the next mail probes; the cleanup removes the row)
 */
public record CacheView(CacheKind kind, String address, String domain, CacheStatus status, Integer replyCode, String replyText,
        String mxHost, Instant checkedAt, Instant firstRejectedAt, Instant refreshAt, Instant expiresAt, State state) {

    public enum State { FRESH, REFRESH_DUE, EXPIRED }

    static CacheView of(CacheEntry e, Instant now) {
        State state = e.isExpired(now) ? State.EXPIRED : e.isDueForRefresh(now) ? State.REFRESH_DUE : State.FRESH;
        return new CacheView(e.kind(), e.address(), e.domain(), e.status(), e.replyCode(), e.replyText(), e.mxHost(), e.checkedAt(),
                e.firstRejectedAt(), e.refreshAt(), e.expiresAt(), state);
    }

    /** The badge class of the verdict. */
    public String css() {
        return switch (status) {
            case VALID -> "accepted";
            case INVALID -> "rejected";
            case TEMPFAIL -> "deferred";
            case UNVERIFIABLE -> "observe";
        };
    }

    /** What the relay does with this verdict now, in words. */
    public String meaning() {
        String verdict = switch (status) {
            case VALID -> "The address exists";
            case INVALID -> firstRejectedAt == null ? "The address was refused"
                    : "The address was refused (first refusal " + Html.time(firstRejectedAt) + " UTC; answered 451 until the"
                            + " refusal is confirmed)";
            case TEMPFAIL -> "No verdict yet (temporary failure)";
            case UNVERIFIABLE -> "The address cannot be verified; accepted unverified (per verification.unverifiable)";
        };
        return switch (state) {
            case FRESH -> verdict + "; mail is answered from the cache.";
            case REFRESH_DUE -> verdict + "; still answered from the cache, and the next mail starts a background re-probe.";
            case EXPIRED -> "Expired: no answer any more; the next mail probes again (the cleanup removes this row).";
        };
    }
}
