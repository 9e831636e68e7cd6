package greyrelay.admin.settings;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsPageTest {
    @TempDir
    Path dir;

    @Test
    void shows_every_key_with_its_value_and_secrets_only_masked() {
        try (AdminServer server = AdminServer.start(dir)) {
            var session = server.login();
            String body = server.get("/settings", session).body();

            assertThat(body).contains("<code>smtp.port</code>").contains("<code>2525</code>")
                    .contains("<code>smtp.relayDomains</code>").contains("[example.com]")
                    .contains("<code>smtp.tls.certificate</code>").contains("<code>\"\"</code>")
                    .contains("<code>downstream.routes.example.net</code>").contains("10.0.0.2:25")
                    .contains("<code>database.password</code>").contains("********").contains("<code>dataDir</code>");
            var api = server.parse(server.get("/api/settings", session));
            assertThat(api.path("smtp").path("port").asInt()).isEqualTo(2525);
            assertThat(api.path("admin").path("password").asText()).isEqualTo("********");
        }
    }
}
