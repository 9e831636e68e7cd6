package greyrelay.db.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.testing.ClassDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link WhitelistStore} promises, on H2 and on PostgreSQL. */
abstract class WhitelistStoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final ClassDatabase db;

    WhitelistStore store;

    WhitelistStoreContract(ClassDatabase db) {
        this.db = db;
    }

    Database database() {
        return db.database();
    }

    @BeforeEach
    void empty() throws SQLException {
        db.deleteAllRows("whitelist_entry");
        store = new WhitelistStore(database());
    }

    static WhitelistEntry entry(WhitelistKind kind, String value, String source) {
        return WhitelistEntry.of(kind, value, "why: " + value, source, T0);
    }

    @Test
    void adds_an_entry_and_lists_it_with_its_id() {
        WhitelistEntry added = store.add(entry(WhitelistKind.CLIENT_ADDRESS, "192.0.2.7/24", "admin"));

        assertThat(added.id()).isNotNull();
        assertThat(added.value()).isEqualTo("192.0.2.0/24");
        assertThat(store.all()).containsExactly(added);
    }

    @Test
    void adding_an_existing_value_keeps_the_first_row() {
        WhitelistEntry first = store.add(entry(WhitelistKind.SENDER, "Example.ORG", "admin"));

        WhitelistEntry second = store.add(entry(WhitelistKind.SENDER, "example.org.", "import:x"));

        assertThat(second).isEqualTo(first);
        assertThat(store.all()).hasSize(1);
        assertThat(store.all().get(0).source()).isEqualTo("admin");
    }

    @Test
    void the_same_value_may_exist_under_two_kinds() {
        store.add(entry(WhitelistKind.SENDER, "example.org", "admin"));
        store.add(entry(WhitelistKind.RECIPIENT, "example.org", "admin"));

        assertThat(store.all()).extracting(WhitelistEntry::kind)
                .containsExactly(WhitelistKind.SENDER, WhitelistKind.RECIPIENT);
    }

    @Test
    void adds_many_in_one_transaction_and_replaces_a_previous_import() {
        int first = store.addAll(List.of(entry(WhitelistKind.CLIENT_HOST, "mail.example.org", "import:clients"),
                entry(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/", "import:clients"),
                entry(WhitelistKind.RECIPIENT, "postmaster@", "admin")), null);
        assertThat(first).isEqualTo(3);

        int second = store.addAll(List.of(entry(WhitelistKind.CLIENT_HOST, "mail.example.org", "import:clients"),
                entry(WhitelistKind.CLIENT_ADDRESS, "2001:db8::/32", "import:clients")), "import:clients");

        assertThat(second).isEqualTo(2);
        assertThat(store.all()).extracting(WhitelistEntry::value)
                .containsExactlyInAnyOrder("postmaster@", "mail.example.org", "2001:db8::/32");
    }

    @Test
    void removes_an_entry_by_id() {
        WhitelistEntry a = store.add(entry(WhitelistKind.RECIPIENT, "john@example.com", "admin"));

        assertThat(store.remove(a.id())).isTrue();
        assertThat(store.remove(a.id())).isFalse();
        assertThat(store.all()).isEmpty();
    }

    @Test
    void finds_an_entry_by_id_or_by_kind_and_value() {
        WhitelistEntry a = store.add(entry(WhitelistKind.RECIPIENT, "john@example.com", "admin"));

        assertThat(store.find(a.id())).hasValue(a);
        assertThat(store.find(a.id() + 1000)).isEmpty();
        assertThat(store.find(WhitelistKind.RECIPIENT, "John@Example.COM")).as("by kind and normalised value").hasValue(a);
        assertThat(store.find(WhitelistKind.SENDER, "john@example.com")).isEmpty();
    }

    @Test
    void searches_by_kind_and_by_text_in_value_or_note_newest_first() {
        WhitelistEntry host = store.add(WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "mail.example.org", "Partner relays", "admin", T0));
        WhitelistEntry net = store.add(WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24", "office", "admin", T0));
        WhitelistEntry sender = store.add(WhitelistEntry.of(WhitelistKind.SENDER, "jane@example.org", null, "admin", T0));
        WhitelistEntry odd = store.add(WhitelistEntry.of(WhitelistKind.RECIPIENT, "a_b@example.com", "100% sure", "admin", T0));

        assertThat(store.search(null, null, 10, 0)).containsExactly(odd, sender, net, host);
        assertThat(store.search(WhitelistKind.CLIENT_ADDRESS, null, 10, 0)).containsExactly(net);
        assertThat(store.search(null, "EXAMPLE.org", 10, 0)).containsExactly(sender, host);
        assertThat(store.search(null, "partner", 10, 0)).as("in the note, ignoring case").containsExactly(host);
        assertThat(store.search(WhitelistKind.SENDER, "mail", 10, 0)).isEmpty();
        assertThat(store.search(null, "%", 10, 0)).as("wildcards are literal").containsExactly(odd);
        assertThat(store.search(null, "a_b", 10, 0)).containsExactly(odd);
        assertThat(store.search(null, "ab", 10, 0)).isEmpty();
        assertThat(store.search(null, null, 2, 1)).containsExactly(sender, net);
    }

    @Test
    void skips_a_row_the_code_cannot_read_instead_of_losing_every_entry() throws SQLException {
        store.add(entry(WhitelistKind.SENDER, "example.org", "admin"));
        try (Connection c = database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO whitelist_entry (kind, entry_value, source, created_at) VALUES"
                    + " ('FUTURE_KIND', 'x', 'admin', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00')");
        }

        assertThat(store.all()).extracting(WhitelistEntry::value).containsExactly("example.org");
    }

    @Test
    void reports_a_closed_database_as_a_database_exception() {
        Database closed = closedDatabase();

        assertThatThrownBy(() -> new WhitelistStore(closed).all()).isInstanceOf(DatabaseException.class)
                .hasMessageStartingWith("whitelist: cannot read entries: ");
    }

    Database closedDatabase() {
        return db.closedDatabase();
    }
}
