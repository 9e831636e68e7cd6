package greyrelay.relay.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.address.Mailbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot: database edits count at the next refresh (or at once after invalidate), failures keep the old one. */
class WhitelistsTest {
    @TempDir
    Path dir;

    static Mailbox box(String a) {
        return Mailbox.parse(a).orElseThrow();
    }

    @Test
    void database_edits_count_after_a_refresh_and_never_per_lookup() {
        try (Database db = TestDatabases.h2(dir)) {
            WhitelistStore store = new WhitelistStore(db);
            SimpleMeterRegistry metrics = new SimpleMeterRegistry();
            WhitelistEntry fromFile = WhitelistEntry.of(WhitelistKind.RECIPIENT, "john@example.com", null, "file:x", Instant.EPOCH);
            Whitelists w = new Whitelists(store::all, List.of(fromFile), metrics);
            w.refresh();
            assertThat(w.current().sender(box("jane@example.org"))).isEmpty();

            store.add(WhitelistEntry.of(WhitelistKind.SENDER, "example.org", null, "admin", Instant.EPOCH));
            assertThat(w.current().sender(box("jane@example.org"))).as("not before the refresh").isEmpty();

            w.invalidate();
            assertThat(w.current().sender(box("jane@example.org"))).isPresent();
            assertThat(w.current().recipient(box("john@example.com"))).isPresent();
            assertThat(metrics.get("greyrelay.whitelist.entries").gauge().value()).isEqualTo(2);
        }
    }

    @Test
    void a_failing_refresh_keeps_the_entries_in_force() {
        List<WhitelistEntry> first = List.of(WhitelistEntry.of(WhitelistKind.SENDER, "example.org", null, "admin", Instant.EPOCH));
        boolean[] down = {false};
        Whitelists w = new Whitelists(() -> {
            if (down[0]) throw new IllegalStateException("database down");
            return first;
        }, List.of(), new SimpleMeterRegistry());
        w.refresh();
        down[0] = true;

        w.refreshQuietly();

        assertThat(w.current().sender(box("jane@example.org"))).isPresent();
    }
}
