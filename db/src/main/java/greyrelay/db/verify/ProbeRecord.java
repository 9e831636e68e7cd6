package greyrelay.db.verify;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * One verification, as one {@code probe_log} row: either a probe on the wire (with the MX that answered and the whole
 * transcript) or an answer taken from the cache ({@code cacheHit}, no MX, no transcript).
 *
 * <p>Remote text (reply text, transcript) is cut to its column and NUL is replaced; the panel escapes it.
 *
 * @param id         database id; null before the record is stored
 * @param origin     why it ran: {@code INLINE} (a client waited), {@code PREFETCH} (started when a triplet was
 *                   greylisted), {@code REFRESH} (a cached verdict due for renewal), {@code RETRY} (an inline probe
 *                   that ran out of its short deadlines, re-run with full ones), {@code ADMIN} (an administrator's
 *                   "verify again now"), {@code CACHE} (answered from the cache)
 * @param outcome    the relay's outcome name, e.g. {@code DELIVERABLE}, {@code UNDELIVERABLE}, {@code TEMPFAIL}
 * @param durationMs how long the probe took (0 for a cache hit)
 */
public record ProbeRecord(
        Long id,
        Instant probedAt,
        String node,
        String sessionId,
        CacheKind kind,
        String origin,
        String address,
        String domain,
        String mxHost,
        String mxIp,
        String outcome,
        Integer replyCode,
        String replyText,
        String transcript,
        long durationMs,
        boolean cacheHit) {

    static final int MAX_ID_TEXT = 255;
    static final int MAX_SHORT = 16;
    static final int MAX_OUTCOME = 32;
    static final int MAX_ADDRESS = 320;
    static final int MAX_HOST = 255;
    static final int MAX_IP = 64;
    static final int MAX_REPLY_TEXT = 1000;
    static final int MAX_TRANSCRIPT = 200_000;

    public ProbeRecord {
        Objects.requireNonNull(probedAt, "probedAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(outcome, "outcome");
        if (durationMs < 0) throw new IllegalArgumentException("negative duration " + durationMs);
        probedAt = Columns.micros(probedAt);
        node = Columns.clean(node, MAX_ID_TEXT);
        sessionId = Columns.clean(sessionId, MAX_ID_TEXT);
        origin = Columns.clean(origin, MAX_SHORT);
        address = Columns.clean(address, MAX_ADDRESS);
        domain = Columns.clean(domain, MAX_HOST);
        mxHost = Columns.clean(mxHost, MAX_HOST);
        mxIp = Columns.clean(mxIp, MAX_IP);
        outcome = Columns.clean(outcome, MAX_OUTCOME);
        replyText = Columns.clean(replyText, MAX_REPLY_TEXT);
        transcript = Columns.clean(transcript, MAX_TRANSCRIPT);
    }

    /** The same record with the id the database gave it. */
    public ProbeRecord withId(long newId) {
        return new ProbeRecord(newId, probedAt, node, sessionId, kind, origin, address, domain, mxHost, mxIp, outcome,
                replyCode, replyText, transcript, durationMs, cacheHit);
    }
}
