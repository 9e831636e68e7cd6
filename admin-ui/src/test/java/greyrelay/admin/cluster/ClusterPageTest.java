package greyrelay.admin.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cluster page and {@code /api/cluster} over HTTP: nodes from their heartbeats, down after a minute unseen. */
class ClusterPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static NodeHeartbeats store;
    static Instant start;

    @BeforeAll
    static void begin() {
        server = AdminServer.start(dir);
        session = server.login();
        store = new NodeHeartbeats(server.database);
        start = server.clock.instant();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fill() throws SQLException {
        server.clock.set(start);
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM node_heartbeat");
        }
        store.beat(new NodeHeartbeat(AdminServer.NODE, "1.4.0", start.minus(Duration.ofHours(2)), start.minusSeconds(10), true, 3, 125L));
        store.beat(new NodeHeartbeat("<b>mx2</b>.example.com", "1.4.0<script>", start.minus(Duration.ofDays(1)),
                start.minusSeconds(50), false, 0, null));
    }

    @Test
    void lists_every_node_with_its_heartbeat_and_escapes_what_it_shows() {
        String page = server.get("/cluster", session).body();

        assertThat(page).contains("href=\"/cluster\"").contains("2 nodes on this database")
                .containsSubsequence("&lt;b&gt;mx2&lt;/b&gt;.example.com", "1.4.0&lt;script&gt;", "not listening",
                        AdminServer.NODE, "this node", "listening", ">2m")
                .doesNotContain("<b>mx2</b>").doesNotContain("1.4.0<script>").doesNotContain("data-state=\"down\"");
    }

    @Test
    void a_node_not_seen_for_a_minute_is_shown_down_on_the_page_and_in_the_api() {
        server.clock.advance(Duration.ofSeconds(10)); // mx2 last seen 60 s ago, this node 20 s ago

        String page = server.get("/cluster", session).body();
        JsonNode api = server.parse(server.get("/api/cluster", session));

        assertThat(page).contains("2 nodes on this database, 1 down").containsSubsequence("mx2", "data-state=\"down\"", AdminServer.NODE,
                "data-state=\"up\"");
        assertThat(api.path("self").asText()).isEqualTo(AdminServer.NODE);
        assertThat(api.path("downAfterSeconds").asLong()).isEqualTo(60);
        assertThat(api.path("nodes")).hasSize(2);
        JsonNode mx2 = api.path("nodes").get(0);
        assertThat(mx2.path("name").asText()).isEqualTo("<b>mx2</b>.example.com");
        assertThat(mx2.path("state").asText()).isEqualTo("down");
        assertThat(mx2.path("lastSeenSecondsAgo").asLong()).isEqualTo(60);
        assertThat(mx2.path("oldestMessageSeconds").isNull()).isTrue();
        JsonNode self = api.path("nodes").get(1);
        assertThat(self.path("state").asText()).isEqualTo("up");
        assertThat(self.path("self").asBoolean()).isTrue();
        assertThat(self.path("queueDepth").asInt()).isEqualTo(3);
        assertThat(self.path("oldestMessageSeconds").asLong()).isEqualTo(125);
        assertThat(self.path("smtpListening").asBoolean()).isTrue();
        assertThat(self.fieldNames()).toIterable().as("exactly the documented fields").containsExactly("name", "state", "version",
                "startedAt", "lastSeen", "lastSeenSecondsAgo", "smtpListening", "queueDepth", "oldestMessageSeconds", "self");
    }

    @Test
    void says_so_when_no_node_has_reported() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM node_heartbeat");
        }

        assertThat(server.get("/cluster", session).body()).contains("No node has reported yet");
        assertThat(server.parse(server.get("/api/cluster", session)).path("nodes")).isEmpty();
    }

    private static List<AuditEntry> forgets() {
        return new AuditLog(server.database).search(new AuditQuery(null, "cluster.forget", null, null, 10, 0));
    }

    private static void clearAudit() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM admin_audit WHERE action = 'cluster.forget'");
        }
    }

    @Test
    void a_dead_node_is_forgotten_from_the_page_with_an_audit_row() throws SQLException {
        clearAudit();
        server.clock.advance(Duration.ofSeconds(10)); // mx2 down (60 s), this node up (20 s)
        String page = server.get("/cluster", session).body();
        assertThat(page).contains("action=\"/cluster/forget\"").contains("data-confirm=\"Forget the node &lt;b>mx2")
                .containsOnlyOnce("data-action=\"forget\""); // the live node offers no forget button

        HttpResponse<String> r = server.postForm("/cluster/forget", session, Map.of("name", "<b>mx2</b>.example.com"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(store.list()).extracting(NodeHeartbeat::name).containsExactly(AdminServer.NODE);
        assertThat(forgets()).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.target()).isEqualTo("<b>mx2</b>.example.com");
        });
        assertThat(server.get("/cluster", session).body()).contains("Forgot the node &lt;b&gt;mx2&lt;/b&gt;.example.com.")
                .contains("1 node on this database");
        assertThat(server.postForm("/cluster/forget", session, Map.of("name", "<b>mx2</b>.example.com")).statusCode()).isEqualTo(404);
    }

    @Test
    void a_live_node_cannot_be_forgotten_from_the_page_or_the_api() throws SQLException {
        clearAudit();
        HttpResponse<String> page = server.postForm("/cluster/forget", session, Map.of("name", "<b>mx2</b>.example.com")); // 50 s: up
        HttpResponse<String> api = server.json("DELETE", "/api/cluster/nodes/" + AdminServer.NODE, session, null);

        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(api.statusCode()).isEqualTo(409);
        assertThat(store.list()).hasSize(2);
        assertThat(forgets()).isEmpty();
    }

    @Test
    void the_api_forgets_a_dead_node_by_name() throws SQLException {
        clearAudit();
        server.clock.advance(Duration.ofSeconds(10));
        String path = "/api/cluster/nodes/" + URLEncoder.encode("<b>mx2</b>.example.com", StandardCharsets.UTF_8).replace("+", "%20");

        HttpResponse<String> r = server.json("DELETE", path, session, null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.parse(r).path("forgotten").asBoolean()).isTrue();
        assertThat(store.list()).extracting(NodeHeartbeat::name).containsExactly(AdminServer.NODE);
        assertThat(forgets()).extracting(AuditEntry::target).containsExactly("<b>mx2</b>.example.com");
        assertThat(server.json("DELETE", "/api/cluster/nodes/nobody", session, null).statusCode()).isEqualTo(404);
    }
}
