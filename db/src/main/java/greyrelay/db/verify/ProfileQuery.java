package greyrelay.db.verify;

import greyrelay.db.Paging;
import java.time.Instant;
import java.util.Locale;

/**
 * A search of the domain profiles, most recently changed first (ties by domain). Every filter is optional.
 *
 * @param domainContains case-insensitive substring of the domain; {@code %} and {@code _} are literal
 * @param trait          only profiles where this trait was observed
 * @param observedSince  with {@code trait}: observed at or after this instant (a trait older than the relay's
 *                       {@code verification.cache.profileTtl} no longer counts); null: observed at any time
 * @param limit          page size, 1 to {@link #MAX_LIMIT}
 * @param offset         rows to skip, 0 or more
 */
public record ProfileQuery(String domainContains, DomainTrait trait, Instant observedSince, int limit, int offset) {

    public static final int MAX_LIMIT = 1000;

    public ProfileQuery {
        domainContains = domainContains == null || domainContains.isBlank() ? null : domainContains.strip().toLowerCase(Locale.ROOT);
        Paging.requirePage(limit, MAX_LIMIT, offset);
    }

    /** The {@code limit} most recently changed profiles, no filter. */
    public static ProfileQuery newest(int limit) {
        return new ProfileQuery(null, null, null, limit, 0);
    }

    public ProfileQuery withDomainContains(String text) {
        return new ProfileQuery(text, trait, observedSince, limit, offset);
    }

    /** Only profiles where {@code value} was observed at or after {@code since} (null: at any time). */
    public ProfileQuery withTrait(DomainTrait value, Instant since) {
        return new ProfileQuery(domainContains, value, since, limit, offset);
    }

    public ProfileQuery page(int pageLimit, int pageOffset) {
        return new ProfileQuery(domainContains, trait, observedSince, pageLimit, pageOffset);
    }
}
