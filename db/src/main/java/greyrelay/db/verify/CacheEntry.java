package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * One cached verdict, as one {@code verification_cache} row.
 *
 * @param address         normalised address (local part lower case), the key with {@code kind}
 * @param domain          the address's domain, lower case
 * @param replyCode       the reply that decided (RCPT's, usually), null when none (DNS, connection failure)
 * @param replyText       its text, from a stranger: cut to 1000 characters
 * @param mxHost          the host that answered, null when none did
 * @param checkedAt       when the last probe finished
 * @param firstRejectedAt for INVALID: when the first of an unbroken run of rejections was seen (confirmAfter counts
 *                        from here); null otherwise
 * @param refreshAt       from here on a new probe is due (in the background for a good verdict)
 * @param expiresAt       from here on the entry is no answer at all
 */
public record CacheEntry(
        CacheKind kind,
        String address,
        String domain,
        CacheStatus status,
        Integer replyCode,
        String replyText,
        String mxHost,
        Instant checkedAt,
        Instant firstRejectedAt,
        Instant refreshAt,
        Instant expiresAt) {

    static final int MAX_ADDRESS = 320;
    static final int MAX_DOMAIN = 255;
    static final int MAX_REPLY_TEXT = 1000;
    static final int MAX_HOST = 255;

    public CacheEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(checkedAt, "checkedAt");
        Objects.requireNonNull(refreshAt, "refreshAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (address.length() > MAX_ADDRESS) throw new IllegalArgumentException("address longer than " + MAX_ADDRESS);
        if (domain.length() > MAX_DOMAIN) throw new IllegalArgumentException("domain longer than " + MAX_DOMAIN);
        if (expiresAt.isBefore(refreshAt)) throw new IllegalArgumentException("expiresAt before refreshAt");
        replyText = Columns.clean(replyText, MAX_REPLY_TEXT);
        mxHost = Columns.clean(mxHost, MAX_HOST);
        checkedAt = Columns.micros(checkedAt);
        firstRejectedAt = Columns.micros(firstRejectedAt);
        refreshAt = Columns.micros(refreshAt);
        expiresAt = Columns.micros(expiresAt);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean isDueForRefresh(Instant now) {
        return !now.isBefore(refreshAt);
    }

    /** The same verdict, to be probed again from {@code when} (e.g. after a failed refresh). */
    public CacheEntry withRefreshAt(Instant when) {
        Instant refresh = when.isAfter(expiresAt) ? expiresAt : when;
        return new CacheEntry(kind, address, domain, status, replyCode, replyText, mxHost, checkedAt, firstRejectedAt,
                refresh, expiresAt);
    }
}
