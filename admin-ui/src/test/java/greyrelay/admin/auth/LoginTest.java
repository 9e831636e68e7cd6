package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Logging in and out over HTTP: sessions, cookies, throttling, tokens. One server for the class; each test starts
 * 16 minutes after the previous one, so no session and no throttled failure carries over.
 */
class LoginTest {
    static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    @TempDir
    static Path dir;
    static AdminServer server;
    java.time.Instant since;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void later() {
        server.clock.advance(Duration.ofMinutes(16));
        since = server.clock.instant();
    }

    /** Fetches the login form and posts it; never follows the redirect. */
    HttpResponse<String> attempt(String user, String password, String next) {
        HttpResponse<String> form = server.get("/login");
        String cookie = AdminServer.cookie(form, "greyrelay_login");
        Matcher m = FORM_CSRF.matcher(form.body());
        assertThat(m.find()).isTrue();
        return server.send(HttpRequest.newBuilder(server.uri("/login")).header("Cookie", "greyrelay_login=" + cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(AdminServer.form(Map.of("_csrf", m.group(1), "username", user,
                        "password", password, "next", next)))).build());
    }

    List<AuditEntry> audit(String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, since, null, 100, 0));
    }

    @Test
    void logs_in_with_the_first_users_configured_password_and_goes_to_the_page_asked_for() {
        HttpResponse<String> r = attempt("admin", AdminServer.PASSWORD, "/decisions?sender=jane");

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/decisions?sender=jane");
        String session = AdminServer.cookie(r, "greyrelay_session");
        assertThat(server.get("/decisions", new AdminServer.Session(session, "")).statusCode()).isEqualTo(200);
        assertThat(audit("login")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.clientIp()).isEqualTo("127.0.0.1");
            assertThat(e.node()).isEqualTo(AdminServer.NODE);
        });
    }

    @Test
    void accepts_the_username_in_any_case() {
        assertThat(attempt("  ADMIN ", AdminServer.PASSWORD, "/").statusCode()).isEqualTo(303);
    }

    @Test
    void sets_an_http_only_same_site_strict_session_cookie_without_secure_on_plain_http() {
        HttpResponse<String> r = attempt("admin", AdminServer.PASSWORD, "/");

        String header = AdminServer.setCookie(r, "greyrelay_session").orElseThrow();
        assertThat(header).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/")
                .doesNotContainIgnoringCase("Secure").doesNotContainIgnoringCase("Max-Age").doesNotContainIgnoringCase("Expires");
    }

    @Test
    void answers_a_wrong_password_with_the_form_again_and_audits_the_attempt() {
        HttpResponse<String> r = attempt("admin", "not the password", "/");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong username or password.").contains("value=\"admin\"");
        assertThat(AdminServer.setCookie(r, "greyrelay_session")).isEmpty();
        assertThat(audit("login.failed")).extracting(AuditEntry::actor).containsExactly("admin");
    }

    @Test
    void answers_an_unknown_user_exactly_like_a_wrong_password() {
        HttpResponse<String> r = attempt("<script>alert(1)</script>", "whatever-password", "/");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Wrong username or password.").doesNotContain("<script>alert(1)</script>")
                .contains("value=\"&lt;script>alert(1)&lt;/script>\"");
    }

    @Test
    void refuses_a_login_post_whose_form_token_does_not_match_its_cookie() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/login")).header("Cookie", "greyrelay_login=abc")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=xyz&username=admin&password=" + AdminServer.PASSWORD.replace(' ', '+')))
                .build());

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(AdminServer.setCookie(r, "greyrelay_session")).isEmpty();
    }

    @Test
    void throttles_an_address_after_five_failures_until_the_window_has_passed() {
        for (int i = 0; i < 5; i++) assertThat(attempt("admin", "wrong " + i, "/").statusCode()).isEqualTo(401);

        HttpResponse<String> blocked = attempt("admin", AdminServer.PASSWORD, "/");
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.body()).contains("Too many failed logins");
        assertThat(blocked.headers().firstValue("Retry-After")).hasValue("900");
        assertThat(AdminServer.setCookie(blocked, "greyrelay_session")).isEmpty();

        server.clock.advance(Duration.ofMinutes(15));
        assertThat(attempt("admin", AdminServer.PASSWORD, "/").statusCode()).isEqualTo(303);
    }

    @ParameterizedTest(name = "next={0} -> {1}")
    @CsvSource({"/queue,/queue", "//evil.example/x,/", "https://evil.example,/", "/\\evil.example,/", "'',/", "relative,/"})
    void redirects_after_login_only_to_a_local_path(String next, String expected) {
        assertThat(LoginController.safeNext(next)).isEqualTo(expected);
    }

    @Test
    void logout_ends_the_session() {
        AdminServer.Session s = server.login();

        HttpResponse<String> out = server.postForm("/logout", s, Map.of());

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(AdminServer.setCookie(out, "greyrelay_session").orElseThrow()).startsWith("greyrelay_session=;")
                .contains("Expires=Thu, 01 Jan 1970");
        assertThat(server.get("/api/me", s).statusCode()).isEqualTo(401);
        assertThat(audit("logout")).hasSize(1);
    }

    @Test
    void a_session_ends_after_the_idle_timeout_but_not_while_in_use() {
        AdminServer.Session s = server.login();

        server.clock.advance(Duration.ofMinutes(59));
        assertThat(server.get("/api/me", s).statusCode()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(59));
        assertThat(server.get("/api/me", s).statusCode()).isEqualTo(200);
        server.clock.advance(Duration.ofMinutes(60));
        assertThat(server.get("/api/me", s).statusCode()).isEqualTo(401);
    }

    @Test
    void a_new_password_set_elsewhere_ends_the_users_sessions() {
        AdminServer.Session admin = server.login();
        HttpResponse<String> add = server.json("POST", "/api/users", admin, "{\"username\":\"jane\",\"password\":\"jane's first password\"}");
        assertThat(add.statusCode()).isEqualTo(201);
        AdminServer.Session jane = server.login("jane", "jane's first password");
        server.clock.advance(Duration.ofSeconds(1));

        assertThat(server.json("PUT", "/api/users/jane/password", admin, "{\"password\":\"jane's second password\"}").statusCode())
                .isEqualTo(200);

        assertThat(server.get("/api/me", jane).statusCode()).isEqualTo(401);
        assertThat(server.get("/api/me", admin).statusCode()).isEqualTo(200);
        assertThat(server.login("jane", "jane's second password")).isNotNull();
    }

    @Test
    void an_api_token_authenticates_api_calls_until_it_is_revoked() {
        AdminServer.Session admin = server.login();
        HttpResponse<String> created = server.json("POST", "/api/tokens", admin, "{\"name\":\"monitoring\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = server.parse(created).path("secret").asText();
        assertThat(secret).startsWith("grt_");

        HttpResponse<String> me = server.getWithToken("/api/me", secret);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(server.parse(me).path("kind").asText()).isEqualTo("api_token");
        assertThat(server.parse(server.getWithToken("/api/tokens", secret)).toString()).doesNotContain(secret);
        // a token caller needs no CSRF token: no browser sends a bearer token by itself
        assertThat(server.jsonWithToken("POST", "/api/queue/0ABC/retry", secret, null).statusCode()).isEqualTo(404);

        assertThat(server.json("DELETE", "/api/tokens/monitoring", admin, null).statusCode()).isEqualTo(200);
        assertThat(server.getWithToken("/api/me", secret).statusCode()).isEqualTo(401);
    }

    @Test
    void pages_do_not_accept_a_token_in_place_of_a_login_in_the_query_string() {
        assertThat(server.get("/api/me?token=grt_x").statusCode()).isEqualTo(401);
    }

    /** Also on one kept-alive connection: Jetty's header cache would otherwise match token values ignoring case. */
    @Test
    void accepts_the_control_token_as_an_api_token() {
        try (AdminServer other = AdminServer.start(server.database, false,
                AdminServer.settings().withControlToken("grc_local-secret").withMetricsOpen(true), null, b -> {})) {
            HttpResponse<String> me = other.getWithToken("/api/me", "grc_local-secret");

            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(other.parse(me).path("kind").asText()).isEqualTo("control_token");
            HttpResponse<String> wrong = other.getWithToken("/api/me", "grc_local-secreT");
            assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
            assertThat(server.getWithToken("/api/me", "grc_local-secret").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void metrics_may_be_opened_to_scrapers_without_login() {
        try (AdminServer open = AdminServer.start(server.database, false, AdminServer.settings().withMetricsOpen(true), null, b -> {})) {
            assertThat(open.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(open.get("/api/me").statusCode()).isEqualTo(401);
        }
        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
    }
}
