package greyrelay.db.admin;

import greyrelay.db.Paging;
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
        Paging.requirePage(limit, MAX_LIMIT, offset);
    }

    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, limit, 0);
    }
}
