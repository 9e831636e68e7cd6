package greyrelay.admin.decisions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionsPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static Instant t0;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        t0 = server.clock.instant().minusSeconds(3600);
        new DecisionLog(server.database).appendAll(List.of(
                row(t0, "s1", "RCPT", "greylist", Outcome.DEFERRED, false, 451, "4.7.1 Greylisted, please try again in 300 seconds",
                        "192.0.2.10", "client.example.org", "jane@example.org", "bob@example.com"),
                row(t0.plusSeconds(1), "s1", "RCPT", "relay-domain", Outcome.REJECTED, false, 554, "5.7.1 <x@example.net>: Relay access denied",
                        "192.0.2.10", "client.example.org", "jane@example.org", "x@example.net"),
                row(t0.plusSeconds(60), "s2", "RCPT", "sender-verification", Outcome.REJECTED, true, 550, "5.1.7 <evil@example.net>: undeliverable",
                        "198.51.100.20", "<script>alert('helo')</script>", "<script>alert(1)</script>@example.net", "bob@example.com"),
                row(t0.plusSeconds(120), "s3", "DATA", "queue", Outcome.ACCEPTED, false, 250, "2.0.0 Ok: queued as 0ABC",
                        "203.0.113.5", "mail.example.net", "john@example.net", "mary@example.com")));
    }

    static DecisionRecord row(Instant at, String session, String phase, String check, Outcome outcome, boolean observe, int code,
            String reply, String ip, String helo, String sender, String recipient) {
        return new DecisionRecord(null, at, "mx1", session, session + ".1", phase, check, outcome, observe, code, reply, "because",
                ip, helo, sender, recipient, null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lists_decisions_newest_first_with_check_reply_and_outcome() {
        HttpResponse<String> r = server.get("/decisions", session);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).containsSubsequence("john@example.net", "sender-verification", "relay-domain", "greylist")
                .contains("4.7.1 Greylisted, please try again in 300 seconds").contains("<code>451</code>")
                .contains("class=\"badge deferred\"").contains("<div class=\"sub node\" title=\"node\">mx1</div>");
    }

    @Test
    void sorts_on_the_server_by_a_whitelisted_column_only() throws Exception {
        HttpResponse<String> page = server.get("/decisions?sort=client&dir=asc&outcome=rejected", session);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsSubsequence("192.0.2.10", "198.51.100.20")
                .contains("aria-sort=\"ascending\"><a class=\"sort\" href=\"/decisions?outcome=rejected&amp;sort=client&amp;dir=desc\"")
                .contains("<input type=\"hidden\" name=\"sort\" value=\"client\">")
                .contains("href=\"/decisions?outcome=rejected&amp;sort=sender&amp;dir=asc\"");

        JsonNode api = server.parse(server.get("/api/decisions?sort=sender&dir=desc", session));
        assertThat(api.get("decisions").findValuesAsText("sender"))
                .containsExactly("john@example.net", "jane@example.org", "jane@example.org", "<script>alert(1)</script>@example.net");

        HttpResponse<String> bad = server.get("/decisions?sort=decided_at;DROP%20TABLE%20decision_log&dir=sideways", session);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("one of time, client, sender, recipient, check, outcome, reply").contains("asc or desc");
        assertThat(server.get("/api/decisions?sort=id", session).statusCode()).isEqualTo(400);
    }

    @Test
    void shows_an_observe_mode_row_as_what_would_have_been_answered() {
        String body = server.get("/decisions?client=198.51.100.20", session).body();

        assertThat(body).contains("<tr class=\"observe\">").contains("would be");
    }

    @Test
    void shows_remote_text_escaped_never_as_markup() {
        String body = server.get("/decisions", session).body();

        assertThat(body).doesNotContain("<script>alert").contains("&lt;script&gt;alert('helo')&lt;/script&gt;")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;@example.net");
    }

    @Test
    void searches_by_sender_recipient_client_outcome_and_time() {
        assertThat(server.get("/decisions?sender=JANE", session).body()).contains(cell("jane@example.org")).doesNotContain(cell("john@example.net"));
        assertThat(server.get("/decisions?recipient=mary", session).body()).contains(cell("mary@example.com")).doesNotContain(cell("jane@example.org"));
        assertThat(server.get("/decisions?client=203.0.113.5", session).body()).contains(cell("john@example.net")).doesNotContain(cell("jane@example.org"));
        assertThat(server.get("/decisions?outcome=rejected", session).body()).contains("relay-domain").doesNotContain("</span> greylist</td>");
        String from = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t0.plusSeconds(100));
        assertThat(server.get("/decisions?from=" + from, session).body()).contains(cell("john@example.net")).doesNotContain(cell("jane@example.org"));
    }

    static String cell(String address) {
        return "<td class=\"addr\"><span class=\"clip\" title=\"" + address + "\">" + address + "</span>";
    }

    @Test
    void shows_validation_errors_next_to_the_fields() {
        HttpResponse<String> r = server.get("/decisions?client=not+an+ip&from=yesterday&outcome=maybe", session);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Please correct the highlighted fields.")
                .contains("an IP address such as 192.0.2.7")
                .contains("a UTC time like 2026-03-01T10:00")
                .contains("one of accepted, deferred, rejected, disconnected")
                .contains("value=\"not an ip\"");
    }

    @Test
    void refuses_a_time_range_that_ends_before_it_starts() {
        HttpResponse<String> r = server.get("/decisions?from=2026-03-02T00:00&to=2026-03-01T00:00", session);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("must be after from");
    }

    @Test
    void pages_through_long_results_keeping_the_search() {
        HttpResponse<String> first = server.get("/decisions?recipient=example&limit=2", session);
        assertThat(first.body()).contains("href=\"/decisions?recipient=example&amp;offset=2&amp;limit=2\"").contains("Older")
                .contains("john@example.net").doesNotContain("client.example.org");

        HttpResponse<String> second = server.get("/decisions?recipient=example&offset=2&limit=2", session);
        assertThat(second.body()).contains("x@example.net").contains("offset=0&amp;limit=2").doesNotContain("john@example.net");
    }

    @Test
    void marks_decisions_that_arrived_over_the_postfix_policy_protocol() {
        new DecisionLog(server.database).appendAll(List.of(new DecisionRecord(null, t0.plusSeconds(30), "mx1", "P9", "P9.1", "RCPT",
                "greylist", Outcome.DEFERRED, false, 451, "4.7.1 Greylisted, please try again in 300 seconds", "because",
                "192.0.2.99", "client.example.org", "jane@example.org", "bob@example.com", null, DecisionRecord.POLICY)));
        String list = server.get("/decisions?client=192.0.2.99", session).body();
        assertThat(list).contains("<span class=\"badge origin\" title=\"arrived over Postfix's policy protocol\">policy</span>");
        assertThat(server.get("/decisions?client=192.0.2.10", session).body()).doesNotContain("badge origin");
        long id = new DecisionLog(server.database).search(DecisionQuery.newest(10).withClientIp("192.0.2.99")).get(0).id();
        assertThat(server.get("/decisions/" + id, session).body()).contains("<dt>Arrived by</dt><dd>Postfix policy protocol (policy)</dd>");
    }

    @Test
    void says_so_when_nothing_matches() {
        assertThat(server.get("/decisions?sender=nobody-at-all", session).body()).contains("No decisions match");
    }

    @Test
    void shows_one_decision_with_the_rest_of_its_session() {
        long id = new DecisionLog(server.database).search(DecisionQuery.newest(10).withRecipientContains("x@example.net")).get(0).id();

        HttpResponse<String> r = server.get("/decisions/" + id, session);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Relay access denied").contains("Everything decided in this session")
                .contains("4.7.1 Greylisted").contains("<tr class=\"current\">");
    }

    @Test
    void offers_whitelisting_the_client_network_sender_and_recipient_and_each_is_audited_and_shown_at_once() {
        long id = new DecisionLog(server.database).search(DecisionQuery.newest(10).withClientIp("198.51.100.20")).get(0).id();
        String page = server.get("/decisions/" + id, session).body();

        // three confirmed forms, each with the session's CSRF token; hostile text stays text
        assertThat(page).contains("data-action=\"whitelist-network\"").contains("data-action=\"whitelist-sender\"")
                .contains("data-action=\"whitelist-recipient\"").contains("Whitelist the client network 198.51.100.0/24?")
                .contains("value=\"&lt;script>alert(1)&lt;/script>@example.net\"").doesNotContain("<script>alert(1)")
                .contains("name=\"_csrf\" value=\"" + session.csrf() + "\"");
        java.util.regex.Matcher form = java.util.regex.Pattern.compile("<form method=\"post\" action=\"/whitelists\" data-confirm=\"[^\"]*\">"
                + "\\s*<input type=\"hidden\" name=\"_csrf\" value=\"[^\"]*\"><input type=\"hidden\" name=\"kind\" value=\"([a-z_]+)\">"
                + "\\s*<input type=\"hidden\" name=\"value\" value=\"([^\"]*)\"><input type=\"hidden\" name=\"note\" value=\"([^\"]*)\">").matcher(page);
        assertThat(form.find()).isTrue();
        assertThat(form.group(1)).isEqualTo("client_address");
        assertThat(form.group(2)).isEqualTo("198.51.100.0/24");

        HttpResponse<String> r = server.postForm("/whitelists", session, Map.of("kind", form.group(1), "value", form.group(2), "note", form.group(3)));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(new AuditLog(server.database).search(new AuditQuery(null, "whitelist.add", null, null, 10, 0)))
                .extracting(AuditEntry::target, AuditEntry::detail).contains(tuple("client address 198.51.100.0/24", "from decision " + id));
        assertThat(server.get("/whitelists", session).body()).contains("Added client address 198.51.100.0/24.").contains("from decision " + id);
        assertThat(server.changes).contains(greyrelay.admin.ChangeListener.What.WHITELISTS);
    }

    @Test
    void answers_an_unknown_decision_with_a_not_found_page() {
        assertThat(server.get("/decisions/999999", session).statusCode()).isEqualTo(404);
        assertThat(server.get("/decisions/abc", session).body()).contains("Not found");
    }

    @Test
    void serves_the_same_search_as_json() {
        HttpResponse<String> r = server.get("/api/decisions?sender=jane&limit=1", session);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = server.parse(r);
        assertThat(body.path("decisions")).hasSize(1);
        assertThat(body.path("more").asBoolean()).isTrue();
        JsonNode d = body.path("decisions").get(0);
        assertThat(d.path("checkName").asText()).isEqualTo("relay-domain");
        assertThat(d.path("decidedAt").asText()).isEqualTo(t0.plusSeconds(1).toString());
        assertThat(d.path("replyCode").asInt()).isEqualTo(554);
    }

    @Test
    void answers_invalid_api_queries_with_400_and_the_fields() {
        HttpResponse<String> r = server.get("/api/decisions?limit=0&to=soon", session);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(server.parse(r).path("fields").path("limit").asText()).isEqualTo("a number from 1 to 500");
        assertThat(server.parse(r).path("fields").path("to").asText()).startsWith("a UTC time");
    }

    @Test
    void serves_one_decision_and_its_session_as_json() {
        long id = new DecisionLog(server.database).search(DecisionQuery.newest(10).withRecipientContains("x@example.net")).get(0).id();

        JsonNode body = server.parse(server.get("/api/decisions/" + id, session));

        assertThat(body.path("decision").path("id").asLong()).isEqualTo(id);
        assertThat(body.path("session")).hasSize(2);
        assertThat(server.get("/api/decisions/999999", session).statusCode()).isEqualTo(404);
    }
}
