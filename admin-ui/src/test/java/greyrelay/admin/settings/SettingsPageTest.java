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

    @Test
    void lists_changed_keys_first_with_defaults_descriptions_and_reload_marks() {
        try (AdminServer server = AdminServer.start(dir)) {
            var session = server.login();
            String body = server.get("/settings", session).body();

            // the summary at the top: exactly the changed keys, value and default
            String summary = body.substring(body.indexOf("id=\"changed-keys\""), body.indexOf("</table>", body.indexOf("id=\"changed-keys\"")));
            assertThat(summary).contains("<code>smtp.port</code>").contains("<code>2525</code>").contains("<code>25</code>")
                    .contains("<code>smtp.relayDomains</code>").contains("<code>downstream.routes.example.net</code>")
                    .doesNotContain("smtp.tls.certificate").doesNotContain("downstream.host");
            assertThat(body.indexOf("id=\"s-changed\"")).isLessThan(body.indexOf("id=\"s-smtp\""));

            // within a section: changed keys before unchanged ones, whatever the file order
            String downstream = section(body, "downstream");
            assertThat(downstream.indexOf("downstream.routes.example.net")).isLessThan(downstream.indexOf("<code>downstream.host</code>"));
            String smtp = section(body, "smtp");
            assertThat(smtp.indexOf("<code>smtp.relayDomains</code>")).isLessThan(smtp.indexOf("<code>smtp.tls.certificate</code>"));

            // the default, the description (escaped), the reload mark
            String cert = row(body, "smtp.tls.certificate");
            assertThat(cert).contains("PEM certificate chain; with &lt;b&gt;smtp.tls.key&lt;/b&gt;").doesNotContain("<b>")
                    .contains("class=\"badge reload\"").doesNotContain("badge changed");
            assertThat(row(body, "smtp.port")).contains("SMTP port (the container maps 25 to it)").contains("badge changed")
                    .doesNotContain("badge reload").contains("<code>25</code>");
            assertThat(row(body, "downstream.routes.example.net")).contains("per recipient domain host:port").contains("<code>{}</code>");
            // a key the relay did not describe still shows its value, without a default
            assertThat(row(body, "dataDir")).contains("<code>./data</code>").doesNotContain("badge");
        }
    }

    @Test
    void a_panel_given_no_key_descriptions_says_so_and_shows_values() {
        try (AdminServer server = AdminServer.start(dir, AdminServer.settings(),
                b -> b.configuration(AdminServer.sampleConfiguration(), java.util.List.of()))) {
            String body = server.get("/settings", server.login()).body();
            assertThat(body).contains("id=\"no-docs\"").doesNotContain("id=\"s-changed\"").contains("<code>2525</code>");
        }
    }

    private static String section(String body, String name) {
        int start = body.indexOf("id=\"s-" + name + "\"");
        return body.substring(start, body.indexOf("</section>", start));
    }

    private static String row(String body, String key) {
        int start = body.indexOf("<tr id=\"k-" + key + "\"");
        assertThat(start).as("row of " + key).isNotNegative();
        return body.substring(start, body.indexOf("</tr>", start));
    }
}
