package greyrelay.admin.spamtrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spamtraps page and its API over HTTP: configured traps, blocked networks, unblock. */
class SpamtrapPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static TrapBlockStore store;
    static Instant now;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        store = new TrapBlockStore(server.database);
        now = server.clock.instant();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fill() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_trap_block");
            s.executeUpdate("DELETE FROM admin_audit");
        }
        store.block(new TrapBlock("192.0.2.0/24", now.minusSeconds(600), now.plus(Duration.ofHours(23)), 1, "192.0.2.66",
                "<script>alert(1)</script>@example.org", "trap@example.com",
                "sent to spamtrap <trap@example.com> from [192.0.2.66] with sender <<script>alert(1)</script>@example.org>"));
        store.block(new TrapBlock("2001:db8:1:2::/64", now.minusSeconds(60), now.plus(Duration.ofHours(1)), 1, "2001:db8:1:2::9",
                null, "never@example.net", "sent to spamtrap <never@example.net>"));
        store.block(new TrapBlock("203.0.113.0/24", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)), 1, "203.0.113.1",
                null, "trap@example.com", "old"));
    }

    @Test
    void lists_the_configured_traps_and_the_networks_blocked_now_with_the_reason_as_text() {
        String page = server.get("/spamtraps", session).body();

        assertThat(page).contains("<code>trap@example.com</code>").contains("<code>never@example.net</code>")
                .contains("blocked for 1d").containsSubsequence("192.0.2.0/24", "2001:db8:1:2::/64").doesNotContain("203.0.113.0/24")
                .contains("in 23h").contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.org").doesNotContain("<script>alert");
    }

    @Test
    void unblocks_a_network_and_audits_it() {
        HttpResponse<String> r = server.postForm("/spamtraps/unblock", session, Map.of("network", "2001:DB8:1:2:0::/64"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(store.active("2001:db8:1:2::/64", now)).isEmpty();
        assertThat(new AuditLog(server.database).search(new AuditQuery(null, "spamtrap.unblock", null, null, 10, 0)))
                .extracting(AuditEntry::target).containsExactly("2001:db8:1:2::/64");
        assertThat(server.get("/spamtraps", session).body()).contains("Unblocked 2001:db8:1:2::/64.");
        assertThat(server.postForm("/spamtraps/unblock", session, Map.of("network", "2001:db8:1:2::/64")).statusCode()).isEqualTo(404);
    }

    @Test
    void refuses_something_that_is_not_a_network() {
        HttpResponse<String> r = server.postForm("/spamtraps/unblock", session, Map.of("network", "mail.example.org"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("not an IP address: mail.example.org");
    }

    @Test
    void shows_an_empty_state_when_nothing_is_blocked() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_trap_block");
        }

        assertThat(server.get("/spamtraps", session).body()).contains("No client is blocked");
    }

    @Test
    void pages_through_the_blocks() {
        assertThat(server.get("/spamtraps?limit=1", session).body()).contains("192.0.2.0/24").doesNotContain("2001:db8:1:2::/64")
                .contains("Older →</a>");
    }

    @Test
    void the_api_lists_and_unblocks() {
        JsonNode list = server.parse(server.get("/api/spamtraps", session));
        assertThat(list.path("traps").toString()).isEqualTo("[\"trap@example.com\",\"never@example.net\"]");
        assertThat(list.path("trapDuration").asText()).isEqualTo("1d");
        assertThat(list.path("blocks")).hasSize(2);
        assertThat(list.path("blocks").get(0).path("sender").asText()).isEqualTo("<script>alert(1)</script>@example.org");

        HttpResponse<String> r = server.json("POST", "/api/spamtraps/unblock", session, "{\"network\":\"192.0.2.0/24\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.parse(r).path("unblocked").asBoolean()).isTrue();
        assertThat(server.json("POST", "/api/spamtraps/unblock", session, "{}").statusCode()).isEqualTo(400);
        assertThat(server.json("POST", "/api/spamtraps/unblock", session, "{\"network\":\"192.0.2.0/24\"}").statusCode()).isEqualTo(404);
    }
}
