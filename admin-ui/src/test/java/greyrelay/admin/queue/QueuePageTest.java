package greyrelay.admin.queue;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueuePageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fill() {
        Instant now = server.clock.instant();
        server.queue.reset();
        server.queue.add(FakeQueue.message("0AAA111BBB", "jane@example.org", "bob@example.com", now.minusSeconds(3600),
                "451 4.3.0 <bob@example.com>: mailbox busy"), "Received: from client.example.org\r\nSubject: hello\r\n");
        server.queue.add(FakeQueue.message("0CCC222DDD", "<script>x</script>@example.net", "mary@example.com", now.minusSeconds(60), null),
                "Subject: <script>alert(1)</script>\r\n");
    }

    @Test
    void lists_messages_with_attempts_next_attempt_and_last_error() {
        HttpResponse<String> r = server.get("/queue", session);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("2 messages on this node").containsSubsequence("0AAA111BBB", "0CCC222DDD")
                .contains("451 4.3.0 &lt;bob@example.com&gt;: mailbox busy").contains("1h ago").contains("due now").contains("in 9m")
                .contains("&lt;script&gt;x&lt;/script&gt;@example.net").doesNotContain("<script>x")
                .contains("data-sort=\"node\"").contains("<td class=\"node\">mx0.example.com</td>");
    }

    @Test
    void searches_by_id_sender_or_recipient() {
        assertThat(server.get("/queue?q=MARY", session).body()).contains("0CCC222DDD").doesNotContain("0AAA111BBB");
        assertThat(server.get("/queue?q=0aaa", session).body()).contains("0AAA111BBB").doesNotContain("0CCC222DDD");
        assertThat(server.get("/queue?q=nothing-like-it", session).body()).contains("No queued message matches");
    }

    @Test
    void shows_one_message_with_its_recipients_and_headers_escaped() {
        HttpResponse<String> r = server.get("/queue/0CCC222DDD", session);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("mary@example.com").contains("Subject: &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>alert").contains("action=\"/queue/0CCC222DDD/bounce\"")
                .contains("<dt>Node</dt><dd>mx0.example.com</dd>");
        assertThat(server.get("/queue/0NOPE000000", session).statusCode()).isEqualTo(404);
    }

    @Test
    void retries_a_message_from_the_page_and_audits_it() {
        HttpResponse<String> r = server.postForm("/queue/0AAA111BBB/retry", session, Map.of());

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/queue");
        assertThat(server.queue.calls).contains("retry 0AAA111BBB");
        assertThat(server.get("/queue", session).body()).contains("Message 0AAA111BBB will be tried again now.");
        assertThat(new AuditLog(server.database).search(new AuditQuery(null, "queue.retry", null, null, 10, 0)))
                .extracting(AuditEntry::actor, AuditEntry::target).contains(org.assertj.core.groups.Tuple.tuple("admin", "0AAA111BBB"));
    }

    @Test
    void bounces_with_the_administrators_reason_and_deletes() {
        assertThat(server.postForm("/queue/0AAA111BBB/bounce", session, Map.of("reason", "mailbox moved")).statusCode()).isEqualTo(303);
        assertThat(server.postForm("/queue/0CCC222DDD/delete", session, Map.of()).statusCode()).isEqualTo(303);

        assertThat(server.queue.calls).contains("bounce 0AAA111BBB mailbox moved", "delete 0CCC222DDD");
        assertThat(server.get("/queue", session).body()).contains("The queue is empty");
    }

    @Test
    void refuses_an_over_long_bounce_reason() {
        HttpResponse<String> r = server.postForm("/queue/0AAA111BBB/bounce", session, Map.of("reason", "x".repeat(201)));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("at most 200 characters");
        assertThat(server.queue.contains("0AAA111BBB")).isTrue();
    }

    @Test
    void says_when_a_message_is_being_delivered_or_gone() {
        server.queue.busy("0AAA111BBB");

        assertThat(server.postForm("/queue/0AAA111BBB/delete", session, Map.of()).statusCode()).isEqualTo(409);
        assertThat(server.postForm("/queue/0ZZZ999999/retry", session, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void offers_the_same_through_the_json_api() {
        var list = server.parse(server.get("/api/queue?q=jane", session));
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(list.path("messages").get(0).path("lastError").asText()).contains("mailbox busy");
        assertThat(list.path("messages").get(0).path("node").asText()).isEqualTo("mx0.example.com");
        assertThat(server.parse(server.get("/api/queue/0AAA111BBB/headers", session)).path("headers").asText()).contains("Subject: hello");

        HttpResponse<String> retry = server.json("POST", "/api/queue/0AAA111BBB/retry", session, null);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(server.parse(retry).path("done").asText()).isEqualTo("retry");
        HttpResponse<String> bounce = server.json("POST", "/api/queue/0AAA111BBB/bounce", session, "{\"reason\":\"gone\"}");
        assertThat(server.parse(bounce).path("done").asText()).isEqualTo("bounce");
        assertThat(server.json("DELETE", "/api/queue/0CCC222DDD", session, null).statusCode()).isEqualTo(200);
        assertThat(server.json("DELETE", "/api/queue/0CCC222DDD", session, null).statusCode()).isEqualTo(404);
        assertThat(server.json("POST", "/api/queue/0AAA111BBB/bounce", session, "[1,2]").statusCode()).isEqualTo(400);
    }
}
