package greyrelay.admin.whitelist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Say what is in force": the whitelist page lists the relay's file and default entries read-only (the default ones
 * marked "default") and answers "is this client whitelisted, and by which entry?" by asking the relay's lookup (here a
 * recording stand-in; the relay's own is tested in the relay module against its real matcher).
 */
class WhitelistInForceTest {
    @TempDir
    static Path dir;
    @TempDir
    static Path aloneDir;
    static AdminServer server;
    static AdminServer alone;
    static AdminServer.Session session;
    static final List<WhitelistLookup.Question> asked = new CopyOnWriteArrayList<>();

    static final WhitelistLookup RELAY = new WhitelistLookup() {
        @Override
        public List<WhitelistEntry> fixed() {
            return List.of(
                    WhitelistEntry.of(WhitelistKind.CLIENT_HOST, "google.com", "Google's outbound servers", "default", Instant.EPOCH),
                    WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "40.107.0.0/16", "Microsoft", "default", Instant.EPOCH),
                    WhitelistEntry.of(WhitelistKind.CLIENT_ADDRESS, "192.0.2.0/24", "<b>partner</b>", "file:/etc/greyrelay/partners", Instant.EPOCH));
        }

        @Override
        public List<Match> check(Question q) {
            asked.add(q);
            return q.client().equals(IpNetwork.literal("40.107.22.1"))
                    ? List.of(new Match("client address", WhitelistKind.CLIENT_ADDRESS, "40.107.0.0/16", "default", "Microsoft"))
                    : List.of();
        }
    };

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir, AdminServer.settings(), b -> b.whitelists(RELAY));
        session = server.login();
        alone = AdminServer.start(aloneDir);
    }

    @AfterAll
    static void stop() {
        server.close();
        alone.close();
    }

    @Test
    void lists_the_default_and_file_entries_read_only_marked_default() {
        String body = server.get("/whitelists", session).body();

        assertThat(body).contains("<section class=\"card\" id=\"fixed\">").contains("3 entries from files and the bundled default list")
                .containsSubsequence("google.com", "<span class=\"badge default\">default</span>", "40.107.0.0/16",
                        "<span class=\"badge default\">default</span>", "192.0.2.0/24", "file:/etc/greyrelay/partners")
                .contains("&lt;b&gt;partner&lt;/b&gt;");
        String fixed = body.substring(body.indexOf("id=\"fixed\""), body.indexOf("id=\"import\""));
        assertThat(fixed).doesNotContain("<form").doesNotContain("data-action=\"delete\"");
    }

    @Test
    void answers_which_entry_whitelists_a_client() {
        asked.clear();
        String yes = server.get("/whitelists?ip=40.107.22.1&name=&sender=jane%40example.org&recipient=", session).body();

        assertThat(yes).contains("data-whitelisted=\"true\"").contains("the client address by the client address entry <code>40.107.0.0/16</code>")
                .contains("<span class=\"badge default\">default</span>");
        assertThat(asked).singleElement().satisfies(q -> {
            assertThat(q.sender()).isEqualTo("jane@example.org");
            assertThat(q.hostName()).isNull();
            assertThat(q.recipient()).isNull();
        });

        String no = server.get("/whitelists?ip=192.0.2.99&name=mail.example.net", session).body();
        assertThat(no).contains("data-whitelisted=\"false\"").contains("Not whitelisted");
    }

    @Test
    void the_api_answers_too_and_refuses_a_bad_address() {
        JsonNode yes = server.parse(server.get("/api/whitelists/check?ip=40.107.22.1", session));
        assertThat(yes.get("whitelisted").asBoolean()).isTrue();
        assertThat(yes.get("matches").get(0).get("part").asText()).isEqualTo("client address");
        assertThat(yes.get("matches").get(0).get("kind").asText()).isEqualTo("client_address");
        assertThat(yes.get("matches").get(0).get("source").asText()).isEqualTo("default");
        assertThat(server.parse(server.get("/api/whitelists/fixed", session)).get("entries")).hasSize(3);

        HttpResponse<String> bad = server.get("/api/whitelists/check?ip=not-an-ip", session);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("an IP address such as 192.0.2.7");
        HttpResponse<String> page = server.get("/whitelists?ip=999.1.1.1", session);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("an IP address such as 192.0.2.7");
    }

    @Test
    void a_panel_without_the_relay_says_it_cannot_answer() {
        AdminServer.Session s = alone.login();
        assertThat(alone.get("/whitelists", s).body()).doesNotContain("id=\"fixed\"")
                .contains("Only the panel embedded in a relay can answer this");
        assertThat(alone.get("/api/whitelists/check?ip=192.0.2.1", s).statusCode()).isEqualTo(409);
        assertThat(alone.get("/api/whitelists/fixed", s).statusCode()).isEqualTo(409);
    }
}
