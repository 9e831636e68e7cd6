package greyrelay.relay.whitelist;

import greyrelay.db.whitelist.WhitelistEntry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitelists in force: a {@link Whitelist} snapshot swapped atomically, rebuilt from the database every
 * {@code greylist.whitelistRefresh} (and at once on {@link #invalidate()}, for edits made in this process), plus the
 * fixed entries of the configured files and the default list, read once at start. Lookups read the current
 * snapshot and never touch the database. When a refresh fails, the previous snapshot stays in force and the failure
 * is logged; the next refresh tries again.
 */
public final class Whitelists {
    private static final Logger log = LoggerFactory.getLogger(Whitelists.class);

    private final Supplier<List<WhitelistEntry>> database;
    private volatile List<WhitelistEntry> fixed;
    private volatile Whitelist current = Whitelist.EMPTY;
    private volatile int lastSize = -1;

    /** @param database reads every entry of the database ({@code WhitelistStore::all}); may throw on failure */
    public Whitelists(Supplier<List<WhitelistEntry>> database, List<WhitelistEntry> fixed, MeterRegistry metrics) {
        this.database = database;
        this.fixed = List.copyOf(fixed);
        Gauge.builder("greyrelay.whitelist.entries", this, w -> w.current.size())
                .description("whitelist entries in force (database, files, default list)").register(metrics);
    }

    public Whitelist current() {
        return current;
    }

    /** The entries of the configured files and the default list, as read at start or the last reload. */
    public List<WhitelistEntry> fixed() {
        return fixed;
    }

    /** Reloads the database entries now; throws when the database fails (the old snapshot stays). */
    public void refresh() {
        List<WhitelistEntry> all = new ArrayList<>(database.get()); // database entries first: an admin's entry wins
        all.addAll(fixed);
        Whitelist next = Whitelist.of(all);
        current = next;
        if (next.size() != lastSize) {
            log.info("whitelist: {} entries in force ({} from files and the default list)", next.size(), fixed.size());
            lastSize = next.size();
        }
    }

    /** New entries from the configured files and the default list (a reload); the database's are read again too. */
    public void replaceFixed(List<WhitelistEntry> entries) {
        fixed = List.copyOf(entries);
        refreshQuietly();
    }

    /** An entry was edited in this process (admin panel): make it count now rather than at the next refresh. */
    public void invalidate() {
        refreshQuietly();
    }

    /** For the schedule: a failure is logged, never thrown. */
    void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("whitelist refresh failed, keeping the previous {} entries: {}", current.size(), e.getMessage());
        }
    }
}
