package greyrelay.admin.audit;

import greyrelay.db.DatabaseException;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every change (who, what, when) in the audit log table and as one log line ({@code greyrelay.audit}). The
 * change has already happened when this is called: if the table cannot be written, the log line still has it, and
 * the request is not failed for it.
 */
public final class Auditor {
    private static final Logger log = LoggerFactory.getLogger("greyrelay.audit");

    private final AuditLog store;
    private final Clock clock;
    private final String node;

    public Auditor(AuditLog store, Clock clock, String node) {
        this.store = store;
        this.clock = clock;
        this.node = node;
    }

    /**
     * @param action a stable dotted name ({@code user.add}, {@code queue.retry}, …); the audit page filters by prefix
     * @param target what was changed (a username, a queue id); may be null
     * @param detail free text; may be null
     */
    public void record(Actor who, String action, String target, String detail) {
        AuditEntry entry = AuditEntry.of(clock.instant(), who.name(), action, target, detail, who.clientIp(), node);
        log.info("{} by {}{}{}{}", action, who.name(), who.clientIp() == null ? "" : " from " + who.clientIp(),
                target == null ? "" : " target=" + oneLine(target), detail == null ? "" : " detail=" + oneLine(detail));
        try {
            store.append(entry);
        } catch (DatabaseException e) {
            log.error("audit: cannot store the entry above: {}", e.getMessage());
        }
    }

    /** Log lines stay one line whatever a stranger typed. */
    private static String oneLine(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && i < 300; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
