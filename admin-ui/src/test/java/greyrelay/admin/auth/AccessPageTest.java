package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Access page's forms: users and tokens, with validation errors shown in the page. */
class AccessPageTest {
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

    @Test
    void shows_why_a_new_user_was_refused_next_to_the_field() {
        HttpResponse<String> shortPw = server.postForm("/access/users", session, Map.of("username", "jane", "password", "short",
                "password2", "short"));
        HttpResponse<String> differ = server.postForm("/access/users", session, Map.of("username", "jane", "password",
                "long enough one", "password2", "long enough two"));
        HttpResponse<String> badName = server.postForm("/access/users", session, Map.of("username", "Jane Doe", "password",
                "long enough one", "password2", "long enough one"));

        assertThat(shortPw.statusCode()).isEqualTo(400);
        assertThat(shortPw.body()).contains("<span class=\"field-error\" role=\"alert\">at least 10 characters</span>")
                .contains("value=\"jane\"");
        assertThat(differ.body()).contains("the two passwords differ");
        assertThat(badName.body()).contains("use 1 to 64 of a-z 0-9");
    }

    @Test
    void adds_a_user_who_can_then_log_in() {
        HttpResponse<String> r = server.postForm("/access/users", session, Map.of("username", "bob", "password", "bob's password!",
                "password2", "bob's password!"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(server.get("/access", session).body()).contains("User bob added.").contains("<td>bob ");
        assertThat(server.login("bob", "bob's password!")).isNotNull();
    }

    @Test
    void creates_a_token_shows_its_secret_once_and_revokes_it() {
        HttpResponse<String> r = server.postForm("/access/tokens", session, Map.of("name", "backup-script"));

        assertThat(r.statusCode()).isEqualTo(201);
        Matcher m = Pattern.compile("<pre class=\"token\" id=\"new-token\">(grt_[A-Za-z0-9_-]+)</pre>").matcher(r.body());
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        assertThat(server.getWithToken("/api/me", secret).statusCode()).isEqualTo(200);
        assertThat(server.get("/access", session).body()).contains("backup-script").doesNotContain(secret);

        assertThat(server.postForm("/access/tokens", session, Map.of("name", "backup-script")).body())
                .contains("a token named backup-script exists already");
        assertThat(server.postForm("/access/tokens/backup-script/delete", session, Map.of()).statusCode()).isEqualTo(303);
        assertThat(server.getWithToken("/api/me", secret).statusCode()).isEqualTo(401);
        assertThat(server.postForm("/access/tokens/backup-script/delete", session, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void refuses_a_token_name_with_odd_characters() {
        HttpResponse<String> r = server.postForm("/access/tokens", session, Map.of("name", "<b>x</b>"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("use 1 to 64 of A-Z a-z 0-9").contains("value=\"&lt;b>x&lt;/b>\"");
    }

    @Test
    void changing_your_own_password_keeps_this_browser_logged_in_and_ends_the_others() {
        server.postForm("/access/users", session, Map.of("username", "carol", "password", "carol's password", "password2", "carol's password"));
        AdminServer.Session carol = server.login("carol", "carol's password");
        AdminServer.Session carolElsewhere = server.login("carol", "carol's password");
        server.clock.advance(java.time.Duration.ofSeconds(1));

        HttpResponse<String> r = server.postForm("/access/users/carol/password", carol, Map.of("password", "carol's new password",
                "password2", "carol's new password"));

        assertThat(r.statusCode()).isEqualTo(303);
        String fresh = AdminServer.cookie(r, "greyrelay_session");
        assertThat(server.get("/access", new AdminServer.Session(fresh, "")).body()).contains("Your password was changed");
        assertThat(server.get("/api/me", carolElsewhere).statusCode()).isEqualTo(401);
        assertThat(server.get("/api/me", carol).statusCode()).isEqualTo(401);
    }

    @Test
    void never_deletes_the_last_user_and_says_why() {
        try (AdminServer alone = AdminServer.start(dir.resolve("alone"))) {
            AdminServer.Session s = alone.login();
            HttpResponse<String> r = alone.postForm("/access/users/admin/delete", s, Map.of());

            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("the last user cannot be deleted");
        }
    }
}
