package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.admin.testing.MutableClock;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminUsers;
import greyrelay.db.testing.TestDatabases;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated first password (printed in the log) must be changed at the first login: over HTTP with a real server,
 * the session reaches only the change form (pages redirect, the API answers 403) until it is changed; bearer tokens
 * and users whose password an operator set are not held back.
 */
class FirstPasswordTest {
    static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");
    static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");

    @TempDir
    Path dir;
    AdminServer server;
    String generated;

    @BeforeEach
    void start() {
        Database db = TestDatabases.h2(dir);
        // what the app does at first start with admin.password "": the password it prints once in the log
        generated = AdminAccounts.open(db, new MutableClock(), AdminServer.NODE).ensureFirstUser("").orElseThrow();
        server = AdminServer.start(db, true, AdminServer.settings().withInitialPassword(""), new FakeQueue(), b -> {});
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> login(String user, String password) {
        HttpResponse<String> form = server.get("/login");
        Matcher m = FORM_CSRF.matcher(form.body());
        assertThat(m.find()).isTrue();
        return server.send(HttpRequest.newBuilder(server.uri("/login"))
                .header("Cookie", "greyrelay_login=" + AdminServer.cookie(form, "greyrelay_login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(AdminServer.form(Map.of("_csrf", m.group(1), "username", user,
                        "password", password, "next", "/decisions")))).build());
    }

    @Test
    void a_session_with_the_generated_password_sees_only_the_change_form_until_it_is_changed() {
        HttpResponse<String> r = login("admin", generated);
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/password");
        AdminServer.Session held = new AdminServer.Session(AdminServer.cookie(r, "greyrelay_session"), "");

        for (String page : new String[] {"/", "/decisions", "/access", "/settings"}) {
            HttpResponse<String> p = server.get(page, held);
            assertThat(p.statusCode()).as(page).isEqualTo(303);
            assertThat(p.headers().firstValue("Location")).as(page).hasValue("/password");
        }
        HttpResponse<String> api = server.get("/api/decisions", held);
        assertThat(api.statusCode()).isEqualTo(403);
        assertThat(api.body()).contains("change the generated first password first");
        HttpResponse<String> form = server.get("/password", held);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("generated password").contains("name=\"current\"").doesNotContain("href=\"/decisions\"");
        Matcher meta = META_CSRF.matcher(form.body());
        assertThat(meta.find()).isTrue();
        AdminServer.Session s = new AdminServer.Session(held.cookie(), meta.group(1));
        // even a state-changing API call with a valid CSRF token is refused
        assertThat(server.json("POST", "/api/tokens", s, "{\"name\":\"ci\"}").statusCode()).isEqualTo(403);

        assertThat(server.postForm("/password", new AdminServer.Session(held.cookie(), "wrong"),
                Map.of("current", generated, "password", "my own long password", "password2", "my own long password"))
                .statusCode()).isEqualTo(403);
        assertThat(server.postForm("/password", s, Map.of("current", "not it at all", "password", "my own long password",
                "password2", "my own long password")).body()).contains("this is not your current password");
        assertThat(server.postForm("/password", s, Map.of("current", generated, "password", generated, "password2", generated))
                .body()).contains("choose a password other than the current one");
        assertThat(server.get("/decisions", held).statusCode()).isEqualTo(303);

        HttpResponse<String> changed = server.postForm("/password", s,
                Map.of("current", generated, "password", "my own long password", "password2", "my own long password"));

        assertThat(changed.statusCode()).isEqualTo(303);
        assertThat(changed.headers().firstValue("Location")).hasValue("/");
        AdminServer.Session fresh = new AdminServer.Session(AdminServer.cookie(changed, "greyrelay_session"), "");
        assertThat(server.get("/decisions", fresh).statusCode()).isEqualTo(200);
        assertThat(server.get("/api/decisions", fresh).statusCode()).isEqualTo(200);
        assertThat(server.get("/decisions", held).statusCode()).as("the old session ended").isEqualTo(303);
        assertThat(server.get("/decisions", held).headers().firstValue("Location").orElseThrow()).startsWith("/login");
        assertThat(new AdminUsers(server.database).find("admin").orElseThrow().mustChangePassword()).isFalse();
        assertThat(login("admin", generated).statusCode()).isEqualTo(401);
        assertThat(login("admin", "my own long password").headers().firstValue("Location")).hasValue("/decisions");
    }

    @Test
    void bearer_tokens_and_operator_set_passwords_are_not_held_back() {
        ApiTokenService tokens = ApiTokenService.open(server.database, server.clock, AdminServer.NODE);
        String secret = ((ApiTokenService.Created.Done) tokens.create("ci", new Actor("cli", null))).secret();
        AdminAccounts.open(server.database, server.clock, AdminServer.NODE).add("jane", "jane's own password", new Actor("cli", null));

        assertThat(server.getWithToken("/api/decisions", secret).statusCode()).isEqualTo(200);
        HttpResponse<String> jane = login("jane", "jane's own password");
        assertThat(jane.headers().firstValue("Location")).hasValue("/decisions");
        assertThat(server.get("/decisions", new AdminServer.Session(AdminServer.cookie(jane, "greyrelay_session"), ""))
                .statusCode()).isEqualTo(200);
    }
}
