package greyrelay.db.decision;

import greyrelay.db.Paging;
import java.time.Instant;

/**
 * A search of the decision log, newest first. Every filter is optional (null, or blank text, means "any") and all
 * given filters must match.
 *
 * @param senderContains    case-insensitive substring of the sender; {@code %} and {@code _} are literal
 * @param recipientContains case-insensitive substring of the recipient
 * @param clientIp          exact client IP as recorded
 * @param outcome           exact outcome
 * @param from              decided at or after this instant (inclusive)
 * @param to                decided before this instant (exclusive)
 * @param limit             page size, 1 to {@link #MAX_LIMIT}
 * @param offset            rows to skip, 0 or more
 */
public record DecisionQuery(
        String senderContains,
        String recipientContains,
        String clientIp,
        Outcome outcome,
        Instant from,
        Instant to,
        int limit,
        int offset) {

    /** Largest page: the admin panel pages, it never dumps the table. */
    public static final int MAX_LIMIT = 1000;

    public DecisionQuery {
        senderContains = blankToNull(senderContains);
        recipientContains = blankToNull(recipientContains);
        clientIp = blankToNull(clientIp);
        Paging.requirePage(limit, MAX_LIMIT, offset);
    }

    /** The newest {@code limit} decisions, no filter. */
    public static DecisionQuery newest(int limit) {
        return new DecisionQuery(null, null, null, null, null, null, limit, 0);
    }

    public DecisionQuery withSenderContains(String text) {
        return new DecisionQuery(text, recipientContains, clientIp, outcome, from, to, limit, offset);
    }

    public DecisionQuery withRecipientContains(String text) {
        return new DecisionQuery(senderContains, text, clientIp, outcome, from, to, limit, offset);
    }

    public DecisionQuery withClientIp(String ip) {
        return new DecisionQuery(senderContains, recipientContains, ip, outcome, from, to, limit, offset);
    }

    public DecisionQuery withOutcome(Outcome value) {
        return new DecisionQuery(senderContains, recipientContains, clientIp, value, from, to, limit, offset);
    }

    /** Decided in {@code [start, end)}; either bound may be null. */
    public DecisionQuery between(Instant start, Instant end) {
        return new DecisionQuery(senderContains, recipientContains, clientIp, outcome, start, end, limit, offset);
    }

    public DecisionQuery page(int pageLimit, int pageOffset) {
        return new DecisionQuery(senderContains, recipientContains, clientIp, outcome, from, to, pageLimit,
                pageOffset);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
