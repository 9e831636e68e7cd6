package greyrelay.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.db.admin.AdminSessions;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.testing.TestDatabases;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code admin.trustedProxies} over HTTP: the test client (127.0.0.1) plays the reverse proxy. Trusted, its
 * X-Forwarded-For names the client for throttling, the audit log and the session; untrusted, the header changes nothing.
 */
class TrustedProxiesTest {
    static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    @TempDir
    Path dir;

    static HttpResponse<String> attempt(AdminServer server, String forwardedFor, String user, String password) {
        HttpResponse<String> form = server.get("/login");
        Matcher m = FORM_CSRF.matcher(form.body());
        assertThat(m.find()).isTrue();
        return server.send(HttpRequest.newBuilder(server.uri("/login"))
                .header("Cookie", "greyrelay_login=" + AdminServer.cookie(form, "greyrelay_login"))
                .header("X-Forwarded-For", forwardedFor).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(AdminServer.form(Map.of("_csrf", m.group(1), "username", user,
                        "password", password)))).build());
    }

    static List<AuditEntry> audit(AdminServer server, String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, null, null, 100, 0));
    }

    @Test
    void behind_a_trusted_proxy_each_forwarded_client_is_throttled_audited_and_recorded_by_its_own_address() {
        try (AdminServer server = AdminServer.start(TestDatabases.h2(dir), true,
                AdminServer.settings().withTrustedProxies(List.of(IpNetwork.parse("127.0.0.0/8"))), new FakeQueue(), b -> {})) {
            for (int i = 0; i < 5; i++) {
                assertThat(attempt(server, "198.51.100.1, 203.0.113.5", "admin", "wrong password " + i).statusCode()).isEqualTo(401);
            }

            assertThat(attempt(server, "203.0.113.5", "admin", AdminServer.PASSWORD).statusCode()).isEqualTo(429);
            HttpResponse<String> other = attempt(server, "203.0.113.6", "admin", AdminServer.PASSWORD);
            assertThat(other.statusCode()).as("another client behind the same proxy").isEqualTo(303);
            assertThat(audit(server, "login.failed")).hasSize(5).allSatisfy(e -> assertThat(e.clientIp()).isEqualTo("203.0.113.5"));
            assertThat(audit(server, "login")).singleElement().satisfies(e -> assertThat(e.clientIp()).isEqualTo("203.0.113.6"));
            String id = AdminServer.cookie(other, "greyrelay_session");
            assertThat(new AdminSessions(server.database).find(Sessions.hash(id), server.clock.instant()).orElseThrow().clientIp())
                    .isEqualTo("203.0.113.6");
        }
    }

    @Test
    void without_trusted_proxies_the_header_is_not_believed() {
        try (AdminServer server = AdminServer.start(dir)) {
            for (int i = 0; i < 5; i++) {
                attempt(server, "203.0.113." + i, "admin", "wrong password " + i);
            }

            assertThat(attempt(server, "203.0.113.77", "admin", AdminServer.PASSWORD).statusCode())
                    .as("a forged header does not escape the throttle").isEqualTo(429);
            assertThat(audit(server, "login.failed")).hasSize(5).allSatisfy(e -> assertThat(e.clientIp()).isEqualTo("127.0.0.1"));
        }
    }
}
