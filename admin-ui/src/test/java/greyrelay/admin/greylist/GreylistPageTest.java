package greyrelay.admin.greylist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.StoredTriplet;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.greylist.TripletQuery;
import greyrelay.db.greylist.TripletState;
import java.net.http.HttpResponse;
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

/** The greylist pages and API over HTTP: search, pass, delete, auto-whitelisted networks. */
class GreylistPageTest {
    static final TripletKey GREY = new TripletKey("192.0.2.0/24", "jane@example.org", "john@example.com");
    static final TripletKey PASSED = new TripletKey("192.0.2.0/24", "bob@example.net", "john@example.com");
    static final TripletKey EXPIRED = new TripletKey("198.51.100.0/24", "jane@example.org", "mary@example.com");
    static final TripletKey HOSTILE = new TripletKey("spf:example.org", "<script>alert(1)</script>@example.org", "john@example.com");

    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static GreylistStore store;
    static Instant now;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        store = new GreylistStore(server.database);
        now = server.clock.instant();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fill() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_triplet");
            s.executeUpdate("DELETE FROM greylist_client");
            s.executeUpdate("DELETE FROM admin_audit");
        }
        store.insertIfAbsent(new GreylistEntry(GREY, now.minusSeconds(60), now.minusSeconds(60), null, 1, now.plus(Duration.ofDays(2))));
        store.insertIfAbsent(new GreylistEntry(PASSED, now.minusSeconds(7200), now.minusSeconds(3600), now.minusSeconds(3600), 1,
                now.plus(Duration.ofDays(35))));
        store.insertIfAbsent(new GreylistEntry(EXPIRED, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(3)), null, 2,
                now.minus(Duration.ofDays(1))));
        store.insertIfAbsent(new GreylistEntry(HOSTILE, now.minusSeconds(5), now.minusSeconds(5), null, 1, now.plus(Duration.ofDays(2))));
        server.changes.clear();
    }

    @Test
    void says_that_attempts_count_every_try_the_passing_one_included() {
        String page = server.get("/greylist", session).body();
        assertThat(page).contains("id=\"attempts-hint\">Attempts counts every try of the current round: each deferral (the first one"
                + " included) and the\n  retry that passed").contains("title=\"every try of this round");
    }

    static long id(TripletKey key) {
        return store.search(new TripletQuery(key.client(), key.sender(), key.recipient(), null, now, 1, 0)).getFirst().id();
    }

    static List<AuditEntry> audit(String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, null, null, 50, 0));
    }

    @Test
    void lists_triplets_newest_first_with_their_state() {
        String page = server.get("/greylist", session).body();

        assertThat(page).containsSubsequence("spf:example.org", "198.51.100.0/24", "bob@example.net", "jane@example.org")
                .contains("<span class=\"badge greylisted\">greylisted</span>").contains("<span class=\"badge passed\">passed</span>")
                .contains("<span class=\"badge expired\">expired</span>").contains("data-action=\"pass\"")
                .contains("Greylisted triplets pass when retried between 5m and 2d");
    }

    @Test
    void shows_a_hostile_sender_as_text() {
        String page = server.get("/greylist", session).body();

        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.org").doesNotContain("<script>alert");
    }

    @Test
    void searches_by_client_address_as_its_network_by_sender_recipient_and_state() {
        String byAddress = server.get("/greylist?client=192.0.2.10", session).body();
        assertThat(byAddress).contains("Showing the client network <code>192.0.2.0/24</code>").contains("bob@example.net")
                .doesNotContain("mary@example.com");
        assertThat(server.get("/greylist?client=SPF:example.org", session).body()).contains("&lt;script&gt;");
        assertThat(server.get("/greylist?sender=JANE@Example.org", session).body()).contains("mary@example.com")
                .doesNotContain("bob@example.net");
        assertThat(server.get("/greylist?recipient=mary@example.com&state=expired", session).body()).contains("198.51.100.0/24");
        assertThat(server.get("/greylist?state=passed", session).body()).contains("bob@example.net").doesNotContain("mary@example.com");
        assertThat(server.get("/greylist?sender=nobody@example.org", session).body()).contains("No triplet matches");
    }

    @Test
    void pages_through_the_triplets() {
        String first = server.get("/greylist?limit=2", session).body();

        assertThat(first).contains("spf:example.org").contains("198.51.100.0/24").doesNotContain("bob@example.net")
                .contains("href=\"/greylist?offset=2&amp;limit=2\"");
        assertThat(server.get("/greylist?offset=2&limit=2", session).body()).contains("bob@example.net");
    }

    @Test
    void shows_what_is_wrong_with_a_search() {
        HttpResponse<String> r = server.get("/greylist?client=mail.example.org&state=grey", session);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("an IP address, a network such as 192.0.2.0/24, or spf:example.org")
                .contains("one of greylisted, passed, expired").contains("value=\"mail.example.org\"");
    }

    @Test
    void passes_a_greylisted_triplet_now_returns_to_the_search_and_audits_it() {
        long id = id(GREY);

        HttpResponse<String> r = server.postForm("/greylist/" + id + "/pass", session, Map.of("back", "/greylist?sender=jane%40example.org"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/greylist?sender=jane%40example.org");
        StoredTriplet t = store.find(id).orElseThrow();
        assertThat(t.state(now)).isEqualTo(TripletState.PASSED);
        assertThat(t.entry().passedAt()).isEqualTo(now);
        assertThat(t.entry().expiresAt()).isEqualTo(now.plus(Duration.ofDays(35)));
        assertThat(audit("greylist.pass")).extracting(AuditEntry::target, AuditEntry::detail)
                .containsExactly(tuple("(192.0.2.0/24, jane@example.org, john@example.com)", "was greylisted"));
        assertThat(server.get("/greylist", session).body()).contains("passed: it is let through from now on.");
        assertThat(server.changes).as("the relay reads a triplet that is not passing per decision").isEmpty();
    }

    @Test
    void never_redirects_anywhere_but_the_greylist_page() {
        for (String back : List.of("https://evil.example/", "//evil.example/greylist", "/greylist\r\nX: y", "/queue")) {
            HttpResponse<String> r = server.postForm("/greylist/" + id(PASSED) + "/pass", session, Map.of("back", back));
            assertThat(r.headers().firstValue("Location")).as(back).hasValue("/greylist");
        }
    }

    @Test
    void deletes_a_triplet_and_audits_it() {
        long id = id(EXPIRED);

        assertThat(server.postForm("/greylist/" + id + "/delete", session, Map.of()).statusCode()).isEqualTo(303);

        assertThat(store.find(id)).isEmpty();
        assertThat(audit("greylist.delete")).extracting(AuditEntry::detail).containsExactly("was expired");
        assertThat(server.postForm("/greylist/" + id + "/delete", session, Map.of()).statusCode()).isEqualTo(404);
        assertThat(server.postForm("/greylist/0/pass", session, Map.of()).statusCode()).isEqualTo(404);
        assertThat(server.changes).as("the relay forgets the triplets it remembers as passing, once")
                .containsExactly(greyrelay.admin.ChangeListener.What.GREYLIST);
    }

    @Test
    void shows_an_empty_state() throws SQLException {
        try (Connection c = server.database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_triplet");
        }

        assertThat(server.get("/greylist", session).body()).contains("The greylist is empty");
    }

    @Test
    void lists_the_auto_whitelisted_networks() {
        Instant forget = now.minus(Duration.ofDays(35));
        for (int i = 0; i < 5; i++) store.countPass("192.0.2.0/24", now, forget, now.plus(Duration.ofDays(35)));
        for (int i = 0; i < 2; i++) store.countPass("198.51.100.0/24", now, forget, now.plus(Duration.ofDays(35)));

        String page = server.get("/greylist/clients", session).body();
        assertThat(page).contains("<code>192.0.2.0/24</code>").doesNotContain("<code>198.51.100.0/24</code>")
                .contains("passed greylisting 5 times").contains("href=\"/greylist?client=192.0.2.0%2F24\"");
        assertThat(server.get("/greylist/clients?network=192.0.2.99", session).body()).contains("<code>192.0.2.0/24</code>");
        assertThat(server.get("/greylist/clients?network=198.51.100.0/24", session).body()).contains("That network is not auto-whitelisted.");
        assertThat(server.get("/greylist/clients?network=nonsense", session).statusCode()).isEqualTo(400);
    }

    @Test
    void the_api_searches_finds_passes_and_deletes() {
        JsonNode list = server.parse(server.get("/api/greylist?client=192.0.2.7&state=greylisted", session));
        assertThat(list.path("client").asText()).isEqualTo("192.0.2.0/24");
        assertThat(list.path("triplets")).hasSize(1);
        JsonNode t = list.path("triplets").get(0);
        assertThat(t.path("sender").asText()).isEqualTo("jane@example.org");
        assertThat(t.path("state").asText()).isEqualTo("greylisted");
        long id = t.path("id").asLong();

        assertThat(server.parse(server.get("/api/greylist/" + id, session)).path("recipient").asText()).isEqualTo("john@example.com");
        HttpResponse<String> pass = server.json("POST", "/api/greylist/" + id + "/pass", session, null);
        assertThat(server.parse(pass).path("state").asText()).isEqualTo("passed");
        assertThat(server.json("DELETE", "/api/greylist/" + id, session, null).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/greylist/" + id, session).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/greylist?state=bogus", session).statusCode()).isEqualTo(400);
        assertThat(server.parse(server.get("/api/greylist/clients", session)).path("autoWhitelistAfter").asInt()).isEqualTo(5);
    }
}
