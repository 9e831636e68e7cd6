package greyrelay.db.verify;

import greyrelay.db.Paging;
import java.time.Instant;

/**
 * A search of the probe history, newest first. Every filter is optional (null, or blank text, means "any") and all
 * given filters must match.
 *
 * @param addressContains case-insensitive substring of the address; {@code %} and {@code _} are literal
 * @param domain          exact domain (lower case)
 * @param outcome         exact outcome name, e.g. {@code UNDELIVERABLE}
 * @param kind            SENDER or RECIPIENT
 * @param cacheHit        only probes on the wire (false) or only cache answers (true)
 * @param from            at or after this instant (inclusive)
 * @param to              before this instant (exclusive)
 * @param limit           page size, 1 to {@link #MAX_LIMIT}
 * @param offset          rows to skip, 0 or more
 * @param order           the sort; null means {@link ProbeOrder#NEWEST}
 */
public record ProbeQuery(
        String addressContains,
        String domain,
        String outcome,
        CacheKind kind,
        Boolean cacheHit,
        Instant from,
        Instant to,
        int limit,
        int offset,
        ProbeOrder order) {

    public static final int MAX_LIMIT = 1000;

    public ProbeQuery {
        addressContains = blankToNull(addressContains);
        domain = blankToNull(domain);
        domain = domain == null ? null : domain.toLowerCase(java.util.Locale.ROOT);
        outcome = blankToNull(outcome);
        order = order == null ? ProbeOrder.NEWEST : order;
        Paging.requirePage(limit, MAX_LIMIT, offset);
    }

    /** The newest {@code limit} rows, no filter. */
    public static ProbeQuery newest(int limit) {
        return new ProbeQuery(null, null, null, null, null, null, null, limit, 0, ProbeOrder.NEWEST);
    }

    public ProbeQuery withAddressContains(String text) {
        return new ProbeQuery(text, domain, outcome, kind, cacheHit, from, to, limit, offset, order);
    }

    public ProbeQuery withDomain(String value) {
        return new ProbeQuery(addressContains, value, outcome, kind, cacheHit, from, to, limit, offset, order);
    }

    public ProbeQuery withOutcome(String value) {
        return new ProbeQuery(addressContains, domain, value, kind, cacheHit, from, to, limit, offset, order);
    }

    public ProbeQuery withKind(CacheKind value) {
        return new ProbeQuery(addressContains, domain, outcome, value, cacheHit, from, to, limit, offset, order);
    }

    public ProbeQuery withCacheHit(Boolean value) {
        return new ProbeQuery(addressContains, domain, outcome, kind, value, from, to, limit, offset, order);
    }

    /** In {@code [start, end)}; either bound may be null. */
    public ProbeQuery between(Instant start, Instant end) {
        return new ProbeQuery(addressContains, domain, outcome, kind, cacheHit, start, end, limit, offset, order);
    }

    public ProbeQuery page(int pageLimit, int pageOffset) {
        return new ProbeQuery(addressContains, domain, outcome, kind, cacheHit, from, to, pageLimit, pageOffset, order);
    }

    public ProbeQuery ordered(ProbeOrder value) {
        return new ProbeQuery(addressContains, domain, outcome, kind, cacheHit, from, to, limit, offset, value);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
