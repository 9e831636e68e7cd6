package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code X-Greyrelay-Cli-User}: with the control token a change is audited as {@code cli:<user>}; from any
 * other caller, or in an odd form, the header changes nothing.
 */
class CliUserHeaderTest {
    static final String CONTROL = "grc_control-token-for-the-test";

    @TempDir
    static Path dir;
    static AdminServer server;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir, AdminServer.settings().withControlToken(CONTROL), b -> { });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String actorOfTokenCreatedBy(String bearer, String cliUser, String name) {
        var r = server.request("POST", "/api/tokens", "{\"name\":\"" + name + "\"}", Map.of("Authorization", "Bearer " + bearer,
                "Content-Type", "application/json", "X-Greyrelay-Cli-User", cliUser));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new AuditLog(server.database).search(new AuditQuery(null, "token.create", null, null, 50, 0)).stream()
                .filter(e -> e.target().equals(name)).map(AuditEntry::actor).findFirst().orElseThrow();
    }

    @Test
    void the_control_token_with_a_plain_user_name_is_audited_as_that_cli_user() {
        assertThat(actorOfTokenCreatedBy(CONTROL, "alice", "from-cli")).isEqualTo("cli:alice");
    }

    @Test
    void an_odd_user_name_is_not_believed() {
        assertThat(actorOfTokenCreatedBy(CONTROL, "alice bob<script>", "odd-name")).isEqualTo("control-token");
    }

    @Test
    void an_api_token_cannot_claim_to_be_the_cli() {
        var created = server.request("POST", "/api/tokens", "{\"name\":\"script\"}", Map.of("Authorization", "Bearer " + CONTROL,
                "Content-Type", "application/json"));
        String secret = server.parse(created).path("secret").asText();

        assertThat(actorOfTokenCreatedBy(secret, "alice", "by-script")).isEqualTo("token:script");
    }
}
