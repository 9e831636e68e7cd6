package greyrelay.admin.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.decision.Outcome;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/decisions/check}: validated input handed to the relay's dry run and its answer in the decision log's
 * words; 409 from a panel without a relay. (The relay's side, against real SMTP sessions: relay's CheckMatchesSmtpIT.)
 */
class DryRunApiTest {
    @TempDir
    Path dir;

    @Test
    void hands_the_request_to_the_dry_run_and_answers_its_verdict() {
        List<DryRuns.Request> asked = new ArrayList<>();
        DryRuns fake = q -> {
            asked.add(q);
            return new DryRuns.Answer("RCPT", "greylist", Outcome.DEFERRED, 451, "4.7.1 Greylisted, please try again in 300 seconds",
                    "greylisted: new triplet", List.of(new DryRuns.Step("CONNECT", "connection-limit", null, false, null, null, null),
                            new DryRuns.Step("RCPT", "greylist", Outcome.DEFERRED, false, 451, "4.7.1 Greylisted, please try again in 300 seconds",
                                    "greylisted: new triplet")));
        };
        try (AdminServer server = AdminServer.start(dir, AdminServer.settings(), b -> b.dryRuns(fake))) {
            var session = server.login();
            HttpResponse<String> r = server.json("POST", "/api/decisions/check", session,
                    "{\"client\":\"192.0.2.10\",\"helo\":\"mail.example.org\",\"sender\":\"<>\",\"recipient\":\"<john@example.com>\",\"size\":1200}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode a = server.parse(r);
            assertThat(a.path("replyCode").asInt()).isEqualTo(451);
            assertThat(a.path("checkName").asText()).isEqualTo("greylist");
            assertThat(a.path("steps").get(0).path("outcome").isNull()).as("a check that let the mail go on").isTrue();
            assertThat(a.path("steps").get(1).path("outcome").asText()).isEqualTo("DEFERRED");
            DryRuns.Request q = asked.getFirst();
            assertThat(q.client().getHostAddress()).isEqualTo("192.0.2.10");
            assertThat(q.sender()).as("<> is the null sender").isEmpty();
            assertThat(q.recipient()).isEqualTo("john@example.com");
            assertThat(q.size()).contains(1200L);
            assertThat(q.probe()).isFalse();

            HttpResponse<String> bad = server.json("POST", "/api/decisions/check", session, "{\"client\":\"not-an-ip\",\"size\":\"-1\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(server.parse(bad).toString()).contains("client").contains("recipient").contains("size");
            assertThat(asked).hasSize(1);
        }
    }

    @Test
    void a_panel_without_a_relay_answers_409() {
        try (AdminServer server = AdminServer.start(dir)) {
            HttpResponse<String> r = server.json("POST", "/api/decisions/check", server.login(),
                    "{\"client\":\"192.0.2.10\",\"sender\":\"jane@example.org\",\"recipient\":\"john@example.com\"}");
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains(DecisionsController.STANDALONE);
        }
    }
}
