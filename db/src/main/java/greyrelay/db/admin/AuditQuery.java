package greyrelay.db.admin;

import java.time.Instant;

/**
 * A search of the audit log, newest first. Every filter is optional (null or blank: any).
 *
 * @param text   case-insensitive substring of the actor, the target or the detail
 * @param action exact action name, or a prefix ending in {@code .} ({@code queue.} matches {@code queue.retry})
 * @param from   at or after (inclusive)
 * @param to     before (exclusive)
 */
public record AuditQuery(String text, String action, Instant from, Instant to, int limit, int offset) {
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        text = text == null || text.isBlank() ? null : text.strip();
        action = action == null || action.isBlank() ? null : action.strip();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }

    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, limit, 0);
    }
}
