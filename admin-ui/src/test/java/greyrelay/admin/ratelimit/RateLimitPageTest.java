package greyrelay.admin.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.db.ratelimit.RateLimitOverride.Kind;
import greyrelay.db.ratelimit.RateLimitOverrides;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rate-limits page and its API over HTTP: defaults shown read-only, overrides added, edited, deleted. */
class RateLimitPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static RateLimitOverrides store;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        store = new RateLimitOverrides(server.database);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM rate_limit_override");
            s.executeUpdate("DELETE FROM admin_audit");
        }
        server.changes.clear();
    }

    static List<AuditEntry> audit(String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, null, null, 50, 0));
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void shows_the_configured_defaults_read_only_and_an_empty_state() {
        String page = server.get("/ratelimits", session).body();

        assertThat(page).contains("Defaults").contains("from the configuration (rateLimits.*), read-only")
                .containsSubsequence("per client address", "60", "1,000", "5,000")
                .containsSubsequence("per client network (/24, /64)", "300", "5,000", "20,000")
                .contains("per sender domain").contains("no limit").contains("on other nodes within 30s")
                .contains("No overrides");
    }

    @Test
    void adds_a_client_override_audits_it_and_tells_the_relay() {
        HttpResponse<String> r = server.postForm("/ratelimits", session, form("kind", "client", "match", "192.0.2.0/24",
                "connectionsPerMinute", "120", "messagesPerHour", "0", "recipientsPerHour", "", "note", "partner relays"));

        assertThat(r.statusCode()).isEqualTo(303);
        RateLimitOverride o = store.list().getFirst();
        assertThat(o.kind()).isEqualTo(Kind.CLIENT);
        assertThat(o.connectionsPerMinute()).isEqualTo(120);
        assertThat(o.messagesPerHour()).isZero();
        assertThat(o.recipientsPerHour()).isNull();
        assertThat(server.changes).containsExactly(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        assertThat(audit("ratelimit.add")).extracting(AuditEntry::target, AuditEntry::detail).containsExactly(tuple("client 192.0.2.0/24",
                "connections/min 120, messages/h no limit, recipients/h default; partner relays"));
        assertThat(server.get("/ratelimits", session).body()).contains("Override for client 192.0.2.0/24 added.")
                .containsSubsequence("<code>192.0.2.0/24</code>", "120", "no limit", "default", "partner relays");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "host bits|client|192.0.2.7/24|10|||match|host bits set in \"192.0.2.7/24\"; did you mean 192.0.2.0/24?",
            "not an address|client|mail.example.org|10|||match|expected an IP address or CIDR block",
            "bad domain|sender_domain|org||5||match|expected a domain such as example.org",
            "negative|client|192.0.2.0/24|-1|||connectionsPerMinute|empty (the default), 0 (no limit) or a whole number up to 10,000,000",
            "too large|client|192.0.2.0/24||20000000||messagesPerHour|empty (the default), 0 (no limit)",
            "words|client|192.0.2.0/24|||many|recipientsPerHour|empty (the default)",
            "domain with connections|sender_domain|example.org|5|||connectionsPerMinute|a sender-domain override limits messages per hour only",
            "no match|client||5|||match|required"})
    void shows_what_is_wrong_next_to_the_field(String name, String kind, String match, String cpm, String mph, String rph,
            String field, String message) {
        HttpResponse<String> r = server.postForm("/ratelimits", session, form("kind", kind, "match", match == null ? "" : match,
                "connectionsPerMinute", cpm == null ? "" : cpm, "messagesPerHour", mph == null ? "" : mph,
                "recipientsPerHour", rph == null ? "" : rph, "note", ""));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("class=\"field-error\"").contains(message);
        assertThat(store.list()).isEmpty();
        assertThat(server.changes).isEmpty();
    }

    @Test
    void refuses_a_second_override_for_the_same_match() {
        store.save(RateLimitOverride.senderDomain("example.org", 100, null, server.clock.instant()));

        HttpResponse<String> r = server.postForm("/ratelimits", session, form("kind", "sender_domain", "match", "Example.ORG.",
                "messagesPerHour", "5"));

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("already has an override: edit that one");
        assertThat(store.list().getFirst().messagesPerHour()).isEqualTo(100);
    }

    @Test
    void edits_the_limits_and_note_of_an_override_keeping_its_id() {
        RateLimitOverride o = store.save(RateLimitOverride.client("2001:db8::/48", 10, 10, 10, "old", server.clock.instant()));

        String form = server.get("/ratelimits/" + o.id(), session).body();
        assertThat(form).contains("<code>2001:db8::/48</code>").contains("name=\"connectionsPerMinute\" value=\"10\"")
                .contains("value=\"old\"");
        HttpResponse<String> r = server.postForm("/ratelimits/" + o.id(), session, form("connectionsPerMinute", "", "messagesPerHour",
                "500", "recipientsPerHour", "0", "note", "new"));

        assertThat(r.statusCode()).isEqualTo(303);
        RateLimitOverride saved = store.find(o.id()).orElseThrow();
        assertThat(saved.connectionsPerMinute()).isNull();
        assertThat(saved.messagesPerHour()).isEqualTo(500);
        assertThat(saved.recipientsPerHour()).isZero();
        assertThat(saved.note()).isEqualTo("new");
        assertThat(server.changes).containsExactly(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        assertThat(audit("ratelimit.edit")).extracting(AuditEntry::target).containsExactly("client 2001:db8::/48");
    }

    @Test
    void an_invalid_edit_shows_the_form_again_and_changes_nothing() {
        RateLimitOverride o = store.save(RateLimitOverride.client("198.51.100.0/24", 10, null, null, null, server.clock.instant()));

        HttpResponse<String> r = server.postForm("/ratelimits/" + o.id(), session, form("connectionsPerMinute", "lots"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("value=\"lots\"").contains("a whole number up to 10,000,000");
        assertThat(store.find(o.id()).orElseThrow().connectionsPerMinute()).isEqualTo(10);
        assertThat(server.get("/ratelimits/999999", session).statusCode()).isEqualTo(404);
    }

    @Test
    void deletes_an_override_audits_it_and_tells_the_relay() {
        RateLimitOverride o = store.save(RateLimitOverride.senderDomain(".example.net", 50, null, server.clock.instant()));

        assertThat(server.postForm("/ratelimits/" + o.id() + "/delete", session, Map.of()).statusCode()).isEqualTo(303);

        assertThat(store.list()).isEmpty();
        assertThat(server.changes).containsExactly(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        assertThat(audit("ratelimit.delete")).extracting(AuditEntry::target).containsExactly("sender domain .example.net");
        assertThat(server.postForm("/ratelimits/" + o.id() + "/delete", session, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void searches_and_pages_the_overrides_and_escapes_notes() {
        store.save(RateLimitOverride.client("192.0.2.0/24", 1, null, null, "<script>alert(1)</script>", server.clock.instant()));
        store.save(RateLimitOverride.senderDomain("example.org", 1, "newsletter", server.clock.instant()));
        store.save(RateLimitOverride.senderDomain("example.net", 1, null, server.clock.instant()));

        assertThat(server.get("/ratelimits?q=NEWS", session).body()).contains("<code>example.org</code>").doesNotContain("<code>example.net</code>");
        assertThat(server.get("/ratelimits?limit=2", session).body()).contains("Older →</a>");
        assertThat(server.get("/ratelimits", session).body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
        assertThat(server.get("/ratelimits?q=nothing", session).body()).contains("No override matches");
    }

    @Test
    void the_api_lists_defaults_and_adds_updates_and_deletes() {
        JsonNode list = server.parse(server.get("/api/ratelimits", session));
        assertThat(list.path("defaults").path("perIp").path("connectionsPerMinute").asInt()).isEqualTo(60);
        assertThat(list.path("defaults").path("overrideRefresh").asText()).isEqualTo("30s");

        HttpResponse<String> added = server.json("POST", "/api/ratelimits", session,
                "{\"kind\":\"client\",\"match\":\"203.0.113.7\",\"connectionsPerMinute\":5,\"messagesPerHour\":null}");
        assertThat(added.statusCode()).isEqualTo(201);
        JsonNode o = server.parse(added);
        assertThat(o.path("match").asText()).isEqualTo("203.0.113.7/32");
        assertThat(o.path("kind").asText()).isEqualTo("client");
        assertThat(o.path("messagesPerHour").isNull()).isTrue();
        long id = o.path("id").asLong();

        assertThat(server.json("POST", "/api/ratelimits", session, "{\"kind\":\"client\",\"match\":\"203.0.113.7/32\"}").statusCode())
                .isEqualTo(409);
        HttpResponse<String> bad = server.json("PUT", "/api/ratelimits/" + id, session, "{\"connectionsPerMinute\":-3}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(server.parse(bad).path("fields").path("connectionsPerMinute").asText()).contains("whole number");
        HttpResponse<String> put = server.json("PUT", "/api/ratelimits/" + id, session, "{\"connectionsPerMinute\":0,\"note\":\"x\"}");
        assertThat(server.parse(put).path("connectionsPerMinute").asInt()).isZero();
        assertThat(server.parse(server.get("/api/ratelimits/" + id, session)).path("note").asText()).isEqualTo("x");
        assertThat(server.json("DELETE", "/api/ratelimits/" + id, session, null).statusCode()).isEqualTo(200);
        assertThat(server.json("DELETE", "/api/ratelimits/" + id, session, null).statusCode()).isEqualTo(404);
        assertThat(server.changes).hasSize(3).containsOnly(ChangeListener.What.RATE_LIMIT_OVERRIDES);
    }

    @Test
    void a_panel_without_the_relays_configuration_says_the_defaults_are_unknown() {
        try (AdminServer alone = AdminServer.startWithoutPolicy(dir.resolve("alone2"))) {
            AdminServer.Session s = alone.login();
            assertThat(alone.get("/ratelimits", s).body()).contains("the defaults are not known here");
            assertThat(alone.parse(alone.get("/api/ratelimits", s)).path("defaults").isNull()).isTrue();
        }
    }
}
