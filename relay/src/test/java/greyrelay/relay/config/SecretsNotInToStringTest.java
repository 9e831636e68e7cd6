package greyrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.admin.AdminWiring;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No record that holds a secret prints it in toString: configuration records and the panel's settings. */
class SecretsNotInToStringTest {
    @Test
    void admin_password_database_password_and_a_password_in_the_url_never_appear() {
        RelayConfig c = ConfigLoader.fromYaml("""
                admin: { password: "admin-secret-4711" }
                database: { url: "jdbc:postgresql://db.example.com/greyrelay?user=g&password=url-secret-0815", password: "db-secret-2342" }
                """, Map.of());

        List<String> printed = List.of(c.toString(), c.admin().toString(), c.database().toString(),
                AdminWiring.settings(c, "test").toString(), AdminWiring.settings(c, "test").withControlToken("grc_token-secret").toString());

        assertThat(printed).allSatisfy(s -> assertThat(s).doesNotContain("admin-secret-4711").doesNotContain("db-secret-2342")
                .doesNotContain("url-secret-0815").doesNotContain("token-secret"));
    }
}
