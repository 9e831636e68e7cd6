package greyrelay.db.admin;

import greyrelay.db.Columns;
import java.time.Instant;
import java.util.Objects;

/**
 * One change made by an administrator, as one {@code admin_audit} row: who, what, when.
 *
 * <p>Text may come from outside (a username typed at a failed login, a queued message's address), so it is cut to
 * its column's length and NUL is replaced instead of failing the insert; displaying it escaped is the reader's job.
 *
 * @param id       database id; null before the entry is stored
 * @param actor    who: a username, {@code token:<name>}, {@code control-token}, {@code cli:<os user>}
 * @param action   what, as a stable dotted name: {@code login}, {@code user.add}, {@code queue.retry}, …
 * @param target   what it was done to (a username, a queue id, …); may be null
 * @param detail   free text; may be null
 * @param clientIp the browser's or script's address; null from the CLI
 * @param node     the host name of the node that made the change
 */
public record AuditEntry(Long id, Instant at, String actor, String action, String target, String detail, String clientIp,
        String node) {

    static final int MAX_ACTOR = 128;
    static final int MAX_ACTION = 64;
    static final int MAX_TARGET = 512;
    static final int MAX_DETAIL = 2000;
    static final int MAX_CLIENT_IP = 64;
    static final int MAX_NODE = 255;

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        at = Columns.micros(at);
        actor = Columns.clean(actor, MAX_ACTOR);
        action = Columns.clean(action, MAX_ACTION);
        target = Columns.clean(target, MAX_TARGET);
        detail = Columns.clean(detail, MAX_DETAIL);
        clientIp = Columns.clean(clientIp, MAX_CLIENT_IP);
        node = Columns.clean(node, MAX_NODE);
    }

    /** A new entry, not yet stored. */
    public static AuditEntry of(Instant at, String actor, String action, String target, String detail, String clientIp,
            String node) {
        return new AuditEntry(null, at, actor, action, target, detail, clientIp, node);
    }
}
