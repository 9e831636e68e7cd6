package greyrelay.admin.whitelist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whitelists page and its API over HTTP: add, validate, search, delete, import and export in postgrey's format. */
class WhitelistPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static WhitelistStore store;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        store = new WhitelistStore(server.database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM whitelist_entry");
            s.executeUpdate("DELETE FROM admin_audit");
        }
        server.changes.clear();
    }

    static List<AuditEntry> audit(String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, null, null, 50, 0));
    }

    static WhitelistEntry entry(WhitelistKind kind, String value, String note) {
        return store.add(WhitelistEntry.of(kind, value, note, "admin", server.clock.instant()));
    }

    @Test
    void adds_a_client_address_with_a_note_audits_it_and_tells_the_relay() {
        HttpResponse<String> r = server.postForm("/whitelists", session,
                Map.of("kind", "client_address", "value", " 192.0.2.10 ", "note", "office relay"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/whitelists");
        assertThat(store.all()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(WhitelistKind.CLIENT_ADDRESS);
            assertThat(e.value()).isEqualTo("192.0.2.10");
            assertThat(e.note()).isEqualTo("office relay");
            assertThat(e.source()).isEqualTo("admin:admin");
        });
        assertThat(server.changes).containsExactly(ChangeListener.What.WHITELISTS);
        assertThat(audit("whitelist.add")).extracting(AuditEntry::actor, AuditEntry::target, AuditEntry::detail)
                .containsExactly(tuple("admin", "client address 192.0.2.10", "office relay"));
        String page = server.get("/whitelists", session).body();
        assertThat(page).contains("Added client address 192.0.2.10.").contains("<code><span class=\"clip\" title=\"192.0.2.10\">192.0.2.10</span></code>").contains("office relay");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "sender|postmaster@|a sender entry never names a local part alone",
            "client_address|192.0.2.300|not an IP address",
            "client_host|/[unclosed/|not a valid regular expression",
            "recipient|org|a domain needs at least two labels",
            "|192.0.2.10|choose what the entry matches",
            "client_host||required",
            "server|192.0.2.10|one of client_address, client_host, sender, recipient"})
    void shows_what_is_wrong_next_to_the_field_and_keeps_the_input(String kind, String value, String message) {
        HttpResponse<String> r = server.postForm("/whitelists", session,
                Map.of("kind", kind == null ? "" : kind, "value", value == null ? "" : value, "note", "kept"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("class=\"field-error\"").contains(message).contains("value=\"kept\"");
        if (value != null) assertThat(r.body()).contains("value=\"" + value + "\"");
        assertThat(store.all()).isEmpty();
        assertThat(server.changes).isEmpty();
    }

    @Test
    void refuses_an_entry_that_is_already_there_in_another_spelling() {
        entry(WhitelistKind.SENDER, "example.org", null);

        HttpResponse<String> r = server.postForm("/whitelists", session, Map.of("kind", "sender", "value", "Example.ORG."));

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("already on the whitelist");
        assertThat(store.all()).hasSize(1);
    }

    @Test
    void lists_searches_by_kind_and_text_and_pages() {
        entry(WhitelistKind.CLIENT_HOST, "relay.example.net", "partner");
        entry(WhitelistKind.SENDER, "ceo@example.org", null);
        entry(WhitelistKind.RECIPIENT, "postmaster@", "role account");

        assertThat(server.get("/whitelists", session).body()).containsSubsequence("postmaster@", "ceo@example.org", "relay.example.net");
        assertThat(server.get("/whitelists?kind=sender", session).body()).contains("ceo@example.org").doesNotContain("relay.example.net");
        assertThat(server.get("/whitelists?q=ROLE", session).body()).contains("postmaster@").doesNotContain("ceo@example.org");
        assertThat(server.get("/whitelists?q=nothing-like-it", session).body()).contains("No entry matches");
        String first = server.get("/whitelists?limit=2", session).body();
        assertThat(first).contains("postmaster@").contains("ceo@example.org").doesNotContain("relay.example.net")
                .contains("href=\"/whitelists?offset=2&amp;limit=2\"");
        assertThat(server.get("/whitelists?offset=2&limit=2", session).body()).contains("relay.example.net");
        assertThat(server.get("/whitelists?kind=nonsense", session).statusCode()).isEqualTo(400);
    }

    @Test
    void shows_an_empty_state_and_where_else_entries_come_from() {
        String page = server.get("/whitelists", session).body();

        assertThat(page).contains("No whitelist entries yet").contains("/etc/greyrelay/partners").contains("the bundled default list")
                .contains("on other nodes within 30s");
    }

    @Test
    void deletes_an_entry_audits_it_and_tells_the_relay() {
        WhitelistEntry e = entry(WhitelistKind.RECIPIENT, "john@example.com", null);

        HttpResponse<String> r = server.postForm("/whitelists/" + e.id() + "/delete", session, Map.of());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(store.all()).isEmpty();
        assertThat(server.changes).containsExactly(ChangeListener.What.WHITELISTS);
        assertThat(audit("whitelist.delete")).extracting(AuditEntry::target).containsExactly("recipient john@example.com");
        assertThat(server.postForm("/whitelists/" + e.id() + "/delete", session, Map.of()).statusCode()).isEqualTo(404);
        assertThat(server.postForm("/whitelists/abc/delete", session, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void shows_hostile_notes_and_values_as_text() {
        entry(WhitelistKind.RECIPIENT, "/<script>alert(1)<\\/script>/", "<img src=x onerror=alert(2)>");

        String page = server.get("/whitelists", session).body();

        assertThat(page).contains("&lt;script&gt;alert(1)&lt;\\/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("<script>alert").doesNotContain("<img src=x");
    }

    static final String CLIENTS = """
            # postgrey whitelist_clients, as found on a mail server

            # partner relays
            mail.example.org
            192.0.2.
            /^mx[0-9]+\\.example\\.net$/

            2001:DB8::/32   # our IPv6
            """;

    @Test
    void imports_an_uploaded_postgrey_file_and_a_new_upload_of_it_replaces_the_old_entries() {
        HttpResponse<String> r = server.postFile("/whitelists/import", session, Map.of("type", "", "replace", "1"), "file",
                "whitelist_clients", CLIENTS);

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(store.all()).extracting(WhitelistEntry::kind, WhitelistEntry::value, WhitelistEntry::note, WhitelistEntry::source)
                .containsExactly(
                        tuple(WhitelistKind.CLIENT_HOST, "mail.example.org", "partner relays", "import:whitelist_clients"),
                        tuple(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24", "partner relays", "import:whitelist_clients"),
                        tuple(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/", "partner relays", "import:whitelist_clients"),
                        tuple(WhitelistKind.CLIENT_ADDRESS, "2001:db8::/32", null, "import:whitelist_clients"));
        assertThat(server.get("/whitelists", session).body()).contains("Imported 4 clients entries from whitelist_clients (4 new).");
        assertThat(server.changes).containsExactly(ChangeListener.What.WHITELISTS);
        assertThat(audit("whitelist.import")).extracting(AuditEntry::target, AuditEntry::detail)
                .containsExactly(tuple("whitelist_clients", "4 clients entries, 4 new, replacing its previous import"));

        server.postFile("/whitelists/import", session, Map.of("type", "clients", "replace", "1"), "file", "whitelist_clients",
                "198.51.100.7\n");

        assertThat(store.all()).extracting(WhitelistEntry::value).containsExactly("198.51.100.7");
    }

    @Test
    void an_upload_with_a_bad_line_imports_nothing_and_lists_every_bad_line() {
        HttpResponse<String> r = server.postFile("/whitelists/import", session, Map.of("type", "recipients"), "file",
                "C:\\Users\\me\\my recipients.txt", "john@example.com\nnot an entry\n<b>@@</b>\n");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("nothing imported: 2 bad line(s)").contains("my_recipients.txt:2: one entry per line")
                .contains("my_recipients.txt:3: not a valid local part: &lt;b&gt;@").doesNotContain("<b>@");
        assertThat(store.all()).isEmpty();
        assertThat(server.changes).isEmpty();
    }

    @Test
    void an_upload_without_a_file_is_refused() {
        HttpResponse<String> r = server.postFile("/whitelists/import", session, Map.of(), "file", "empty", "");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("choose a whitelist file");
    }

    @Test
    void exports_each_file_type_and_the_export_imports_back_to_the_same_entries() {
        entry(WhitelistKind.CLIENT_HOST, "mail.example.org", "partner relays");
        entry(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24", "partner relays");
        entry(WhitelistKind.CLIENT_ADDRESS, "2001:db8::/32", null);
        entry(WhitelistKind.CLIENT_HOST, "/^mx[0-9]+\\.example\\.net$/", "line one\nline two");
        entry(WhitelistKind.RECIPIENT, "postmaster@", "role");
        entry(WhitelistKind.SENDER, "jane@example.org", null);
        List<String> before = store.all().stream().map(e -> e.kind() + " " + e.value() + " " + e.note()).toList();

        HttpResponse<String> clients = server.get("/whitelists/export?type=clients", session);
        HttpResponse<String> recipients = server.get("/whitelists/export?type=recipients", session);
        HttpResponse<String> senders = server.get("/api/whitelists/export?type=senders", session);

        assertThat(clients.statusCode()).isEqualTo(200);
        assertThat(clients.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(clients.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"whitelist_clients\"");
        assertThat(clients.body()).startsWith("# greyrelay whitelist: clients (postgrey whitelist_clients format), exported 2026-11-27 10:30:00 UTC")
                .contains("\n# partner relays\nmail.example.org\n192.0.2.0/24\n\n2001:db8::/32\n\n# line one line two\n")
                .doesNotContain("postmaster@").doesNotContain("jane@");
        assertThat(recipients.body()).contains("\n# role\npostmaster@\n");
        assertThat(senders.body()).contains("\njane@example.org\n");

        store.all().forEach(e -> store.remove(e.id()));
        for (var export : List.of(Map.entry("clients", clients), Map.entry("recipients", recipients), Map.entry("senders", senders))) {
            HttpResponse<String> r = server.request("POST", "/api/whitelists/import?type=" + export.getKey() + "&name=whitelist_"
                    + export.getKey(), export.getValue().body(), Map.of("Cookie", "greyrelay_session=" + session.cookie(),
                    "X-CSRF-Token", session.csrf(), "Content-Type", "text/plain; charset=utf-8"));
            assertThat(r.statusCode()).as(export.getKey()).isEqualTo(200);
        }

        assertThat(store.all().stream().map(e -> e.kind() + " " + e.value() + " " + e.note()).toList())
                .containsExactlyInAnyOrderElementsOf(before.stream().map(s -> s.replace("line one\nline two", "line one line two")).toList());
    }

    @Test
    void the_api_adds_validates_finds_lists_and_deletes() {
        HttpResponse<String> added = server.json("POST", "/api/whitelists", session,
                "{\"kind\":\"sender\",\"value\":\"Jane@Example.ORG\",\"note\":\"CEO\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode e = server.parse(added);
        assertThat(e.path("kind").asText()).isEqualTo("sender");
        assertThat(e.path("value").asText()).isEqualTo("jane@example.org");
        long id = e.path("id").asLong();

        assertThat(server.json("POST", "/api/whitelists", session, "{\"kind\":\"sender\",\"value\":\"jane@example.org\"}").statusCode())
                .isEqualTo(409);
        HttpResponse<String> bad = server.json("POST", "/api/whitelists", session, "{\"kind\":\"client_address\",\"value\":\"mail\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(server.parse(bad).path("fields").path("value").asText()).contains("not an IP address");
        assertThat(server.parse(server.get("/api/whitelists/" + id, session)).path("note").asText()).isEqualTo("CEO");
        JsonNode list = server.parse(server.get("/api/whitelists?kind=sender&q=jane", session));
        assertThat(list.path("entries")).hasSize(1);
        assertThat(list.path("more").asBoolean()).isFalse();

        assertThat(server.json("DELETE", "/api/whitelists/" + id, session, null).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/whitelists/" + id, session).statusCode()).isEqualTo(404);
        assertThat(server.changes).containsExactly(ChangeListener.What.WHITELISTS, ChangeListener.What.WHITELISTS);
    }

    @Test
    void the_api_import_lists_every_bad_line() {
        HttpResponse<String> r = server.request("POST", "/api/whitelists/import?type=clients", "192.0.2.1\n300.1.1.1\n",
                Map.of("Cookie", "greyrelay_session=" + session.cookie(), "X-CSRF-Token", session.csrf(), "Content-Type", "text/plain"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(server.parse(r).path("problems").get(0).asText()).startsWith("api:2: ");
        assertThat(store.all()).isEmpty();
    }
}
