package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.web.Principal;
import greyrelay.admin.web.RoleGate;
import greyrelay.admin.web.RouteAccess;
import greyrelay.db.admin.AdminRole;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
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
 * Roles on every route the app registers, read from Javalin's router (a route added later is covered without touching
 * this test): a viewer (session or API token) reads every page and answer, and is refused every change with 403; an
 * admin is not; roles are set on the Access page and by the API, audited, and the last admin stays admin.
 */
class RolesTest {
    static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    static final String VIEWER_PASSWORD = "vera's own long password";

    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session admin;
    static AdminServer.Session viewer;
    static String viewerToken;
    static String adminToken;

    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        admin = server.login();
        AdminAccounts.open(server.database, server.clock, AdminServer.NODE).add("vera", VIEWER_PASSWORD, AdminRole.VIEWER, new Actor("cli:root", null));
        viewer = server.login("vera", VIEWER_PASSWORD);
        HttpResponse<String> token = server.json("POST", "/api/tokens", admin, "{\"name\":\"grafana\",\"role\":\"viewer\"}");
        assertThat(token.statusCode()).isEqualTo(201);
        viewerToken = server.parse(token).path("secret").asText();
        adminToken = server.parse(server.json("POST", "/api/tokens", admin, "{\"name\":\"backup\"}")).path("secret").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Route(String method, String path, Set<RouteRole> marks) {
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
                .filter(e -> HTTP_METHODS.contains(e.method.name()))
                .map(e -> new Route(e.method.name(), e.path, e.metadata(Roles.class) == null ? Set.of() : e.metadata(Roles.class).getRoles()))
                .distinct().toList();
    }

    /** Every change a viewer must not make: whatever is not a read and not marked as the caller's own business. */
    static Stream<Route> changes() {
        return routes().stream().filter(r -> !r.method().equals("GET") && !r.marks().contains(RouteAccess.SELF)
                && !r.path().equals("/login"));
    }

    static Stream<Route> reads() {
        return routes().stream().filter(r -> r.method().equals("GET") && !r.path().startsWith("/health") && !r.path().equals("/login"));
    }

    @Test
    void the_only_changes_a_viewer_may_make_are_their_own_session_password_and_time_display() {
        assertThat(routes().stream().filter(r -> r.marks().contains(RouteAccess.SELF)).map(Route::toString))
                .containsExactlyInAnyOrder("POST /logout", "POST /password", "POST /preferences/time");
        assertThat(changes()).hasSizeGreaterThan(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void refuses_a_viewer_every_change_with_403_by_session_and_by_token(Route route) {
        boolean api = route.path().startsWith("/api/");
        HttpResponse<String> bySession = api
                ? server.json(route.method(), route.concrete(), viewer, "{}")
                : server.request(route.method(), route.concrete(), "_csrf=" + viewer.csrf() + "&x=1", Map.of("Cookie",
                        "greyrelay_session=" + viewer.cookie(), "Content-Type", "application/x-www-form-urlencoded"));
        HttpResponse<String> byToken = server.jsonWithToken(route.method(), route.concrete(), viewerToken, "{}");

        assertThat(bySession.statusCode()).as(route.toString()).isEqualTo(403);
        assertThat(byToken.statusCode()).as(route.toString()).isEqualTo(403);
        assertThat(bySession.body()).contains("your role is viewer, and this needs the admin role");
        if (api) {
            assertThat(server.parse(byToken).path("error").asText()).isEqualTo(RoleGate.REFUSED);
        } else {
            assertThat(bySession.body()).contains("<h1>").contains("<nav class=\"nav\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void lets_a_viewer_read_every_page_and_answer_as_an_admin_does(Route route) {
        HttpResponse<String> asAdmin = server.get(route.concrete(), admin);
        HttpResponse<String> bySession = server.get(route.concrete(), viewer);
        HttpResponse<String> byToken = server.getWithToken(route.concrete(), viewerToken);
        HttpResponse<String> byAdminToken = server.getWithToken(route.concrete(), adminToken);

        // the same answer as an admin's: 200 for a page; an id made up here may name nothing (404 for both), and a read
        // that needs a parameter says so (400 for both)
        assertThat(bySession.statusCode()).as(route.toString()).isEqualTo(asAdmin.statusCode()).isNotEqualTo(403).isLessThan(500);
        assertThat(byToken.statusCode()).as(route.toString()).isEqualTo(byAdminToken.statusCode()).isNotEqualTo(403);
        if (!route.path().contains("{") && asAdmin.statusCode() == 200) assertThat(bySession.body()).as(route.toString()).isNotEmpty();
    }

    @Test
    void an_admin_is_not_held_back_by_the_role_gate() {
        HttpResponse<String> r = server.json("POST", "/api/whitelists", admin, "{\"type\":\"sender\",\"value\":\"jane@example.org\"}");

        assertThat(r.statusCode()).isNotEqualTo(403);
    }

    @Test
    void a_viewer_may_log_out_and_change_their_own_time_display() {
        AdminServer.Session other = server.login("vera", VIEWER_PASSWORD);

        HttpResponse<String> time = server.postForm("/preferences/time", other, Map.of("zone", "local", "next", "/decisions"));
        assertThat(time.statusCode()).isEqualTo(303);
        assertThat(time.headers().firstValue("Location")).hasValue("/decisions");
        assertThat(server.parse(server.get("/api/me", other)).path("localTime").asBoolean()).isTrue();
        assertThat(server.get("/decisions", other).body()).contains("data-time=\"local\"");
        server.postForm("/preferences/time", other, Map.of("zone", "utc", "next", "//evil.example"));
        assertThat(server.get("/decisions", other).body()).contains("data-time=\"utc\"");

        assertThat(server.postForm("/logout", other, Map.of()).statusCode()).isEqualTo(303);
        assertThat(server.get("/api/me", other).statusCode()).isEqualTo(401);
    }

    @Test
    void says_who_and_which_role_in_api_me() {
        assertThat(server.parse(server.get("/api/me", viewer)).path("role").asText()).isEqualTo("viewer");
        assertThat(server.parse(server.getWithToken("/api/me", viewerToken)).path("role").asText()).isEqualTo("viewer");
        assertThat(server.parse(server.get("/api/me", admin)).path("role").asText()).isEqualTo("admin");
    }

    @Test
    void a_viewers_pages_carry_no_action_form_of_the_access_page_and_mark_the_body() {
        String access = server.get("/access", viewer).body();

        assertThat(access).contains("<body class=\"viewer\">").contains("vera").contains("grafana");
        assertThat(access).doesNotContain("action=\"/access/users\"").doesNotContain("/delete\"").doesNotContain("/role\"")
                .doesNotContain("action=\"/access/tokens\"");
        assertThat(server.get("/access", admin).body()).contains("<body>").contains("action=\"/access/users/vera/role\"");
    }

    @Test
    void an_admin_sets_roles_on_the_access_page_and_by_api_audited_by_name_and_the_last_admin_stays() {
        assertThat(server.postForm("/access/users", admin, Map.of("username", "otto", "password", "otto's long password",
                "password2", "otto's long password", "role", "viewer")).statusCode()).isEqualTo(303);
        assertThat(server.parse(server.get("/api/users", admin)).findValues("username").toString()).contains("otto");
        assertThat(server.postForm("/access/users/otto/role", admin, Map.of("role", "admin")).statusCode()).isEqualTo(303);
        HttpResponse<String> back = server.json("PUT", "/api/users/otto/role", admin, "{\"role\":\"viewer\"}");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(server.parse(back).path("role").asText()).isEqualTo("viewer");
        assertThat(server.json("PUT", "/api/users/otto/role", admin, "{\"role\":\"root\"}").statusCode()).isEqualTo(400);

        // admin is the only admin: it cannot become a viewer, nor be deleted
        HttpResponse<String> demote = server.json("PUT", "/api/users/admin/role", admin, "{\"role\":\"viewer\"}");
        assertThat(demote.statusCode()).isEqualTo(409);
        assertThat(server.parse(demote).path("error").asText()).contains("last admin");
        assertThat(server.json("DELETE", "/api/users/admin", admin, null).statusCode()).isEqualTo(409);

        List<AuditEntry> audit = new AuditLog(server.database).search(new AuditQuery(null, null, null, null, 200, 0));
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.actor()).isEqualTo("admin");
            assertThat(e.action()).isEqualTo("user.role");
            assertThat(e.target()).isEqualTo("otto");
            assertThat(e.detail()).isEqualTo("admin → viewer");
        });
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("user.add");
            assertThat(e.target()).isEqualTo("otto");
            assertThat(e.detail()).isEqualTo("role viewer");
        });
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("token.create");
            assertThat(e.target()).isEqualTo("grafana");
            assertThat(e.detail()).isEqualTo("role viewer");
        });
    }

    @Test
    void a_route_marked_admin_is_refused_to_a_viewer_even_for_reading() {
        Principal vera = Principal.user("vera", AdminRole.VIEWER);
        Principal boss = Principal.user("boss", AdminRole.ADMIN);

        assertThat(RoleGate.allows(HandlerType.GET, Set.of(), vera)).isTrue();
        assertThat(RoleGate.allows(HandlerType.GET, Set.of(RouteAccess.ADMIN), vera)).isFalse();
        assertThat(RoleGate.allows(HandlerType.GET, Set.of(RouteAccess.ADMIN), boss)).isTrue();
        assertThat(RoleGate.allows(HandlerType.DELETE, Set.of(), vera)).isFalse();
        assertThat(RoleGate.allows(HandlerType.POST, Set.of(RouteAccess.SELF), vera)).isTrue();
    }
}
