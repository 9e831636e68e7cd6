package greyrelay.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authorisation and CSRF on every route the app registers, read from Javalin's router: a route added later is
 * covered without touching this test.
 */
class RouteSecurityTest {
    static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** Open without login. */
    static final Set<String> OPEN = Set.of("GET /health", "GET /health/live", "GET /health/ready", "GET /login", "POST /login");

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

    record Route(String method, String path) {
        String concrete() {
            return path.replaceAll("\\{[^}]+}", "X1").replaceAll("<[^>]+>", "X1");
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Route> routes() {
        return server.app.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
                .filter(e -> HTTP_METHODS.contains(e.method.name())).map(e -> new Route(e.method.name(), e.path)).distinct().toList();
    }

    static Stream<Route> protectedRoutes() {
        return routes().stream().filter(r -> !OPEN.contains(r.toString()));
    }

    static Stream<Route> stateChangingRoutes() {
        return protectedRoutes().filter(r -> !r.method().equals("GET"));
    }

    @Test
    void registers_the_pages_and_api_routes_of_every_built_in_feature() {
        assertThat(routes()).extracting(Route::toString).contains("GET /", "GET /decisions", "GET /queue", "POST /queue/{id}/retry",
                "GET /audit", "GET /settings", "GET /access", "GET /api/openapi.json", "GET /api/queue", "DELETE /api/queue/{id}",
                "GET /whitelists", "POST /whitelists", "POST /whitelists/import", "GET /api/whitelists/export",
                "DELETE /api/whitelists/{id}", "GET /ratelimits", "POST /ratelimits/{id}", "PUT /api/ratelimits/{id}",
                "GET /greylist", "GET /greylist/clients", "POST /greylist/{id}/pass", "DELETE /api/greylist/{id}",
                "GET /spamtraps", "POST /spamtraps/unblock", "POST /api/spamtraps/unblock");
        assertThat(protectedRoutes()).hasSizeGreaterThan(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protectedRoutes")
    void refuses_an_unauthenticated_request_with_401_for_the_api_and_a_redirect_to_login_for_pages(Route route) {
        HttpResponse<String> r = server.request(route.method(), route.concrete(), route.method().equals("GET") ? null : "", Map.of());

        if (route.path().startsWith("/api/") || route.path().equals("/metrics")) {
            assertThat(r.statusCode()).as(route.toString()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            if (route.path().startsWith("/api/")) assertThat(server.parse(r).path("status").asInt()).isEqualTo(401);
        } else {
            assertThat(r.statusCode()).as(route.toString()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValueSatisfying(v -> assertThat(v).startsWith("/login"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateChangingRoutes")
    void refuses_a_state_changing_request_of_a_session_without_its_csrf_token(Route route) {
        HttpResponse<String> none = server.request(route.method(), route.concrete(), "x=1",
                Map.of("Cookie", "greyrelay_session=" + session.cookie(), "Content-Type", "application/x-www-form-urlencoded"));
        HttpResponse<String> wrong = server.request(route.method(), route.concrete(), "_csrf=forged",
                Map.of("Cookie", "greyrelay_session=" + session.cookie(), "Content-Type", "application/x-www-form-urlencoded",
                        "X-CSRF-Token", "forged"));

        assertThat(none.statusCode()).as(route.toString()).isEqualTo(403);
        assertThat(wrong.statusCode()).as(route.toString()).isEqualTo(403);
        assertThat(none.body()).contains("CSRF");
    }

    @Test
    void an_unauthenticated_htmx_request_is_sent_to_the_login_page_by_header() {
        HttpResponse<String> r = server.request("GET", "/decisions", null, Map.of("HX-Request", "true"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("HX-Redirect")).hasValue("/login");
    }

    @Test
    void remembers_the_page_asked_for_in_the_login_redirect() {
        HttpResponse<String> r = server.get("/decisions?sender=jane");

        assertThat(r.headers().firstValue("Location")).hasValue("/login?next=%2Fdecisions%3Fsender%3Djane");
    }

    @Test
    void serves_health_without_login() {
        HttpResponse<String> r = server.get("/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.parse(r).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void serves_metrics_to_a_logged_in_user_but_not_to_strangers_by_default() {
        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        HttpResponse<String> r = server.get("/metrics", session);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("greyrelay_test_total 1.0");
    }

    @Test
    void answers_an_unknown_page_with_a_not_found_page_and_an_unknown_api_path_with_json() {
        HttpResponse<String> page = server.get("/no-such-page", session);
        HttpResponse<String> api = server.get("/api/no-such-thing", session);

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("<h1>Not found").contains("/no-such-page").contains("<nav class=\"nav\"");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(server.parse(api).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void an_unknown_session_cookie_counts_as_not_logged_in() {
        HttpResponse<String> r = server.get("/api/me", new AdminServer.Session("forged-session-id", ""));

        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    void an_invalid_bearer_token_is_refused_even_with_a_valid_session() {
        HttpResponse<String> r = server.request("GET", "/api/me", null,
                Map.of("Authorization", "Bearer grt_forged", "Cookie", "greyrelay_session=" + session.cookie()));

        assertThat(r.statusCode()).isEqualTo(401);
    }

    static Stream<String> pathsForHeaders() {
        return Stream.of("/login", "/", "/api/me", "/static/app.css", "/health", "/no-such-page", "/webjars/htmx.org/2.0.10/dist/htmx.min.js");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pathsForHeaders")
    void puts_security_headers_on_every_answer(String path) {
        HttpResponse<String> r = server.get(path, session);

        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(SecurityHeaders.CSP);
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("script-src 'self';")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    @Test
    void pages_and_api_answers_are_not_cached_but_static_files_are() {
        assertThat(server.get("/", session).headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(server.get("/api/me", session).headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(server.get("/static/app.js").headers().firstValue("Cache-Control").orElse("")).doesNotContain("no-store");
    }

    @Test
    void pages_contain_no_inline_script_or_style() {
        for (String path : List.of("/", "/decisions", "/queue", "/audit", "/settings", "/access", "/whitelists", "/ratelimits",
                "/greylist", "/greylist/clients", "/spamtraps")) {
            String body = server.get(path, session).body();
            assertThat(body).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
            assertThat(body).as(path).doesNotContain("<style").doesNotContain(" style=\"").doesNotContain(" onclick=")
                    .doesNotContain("javascript:");
        }
    }
}
