package greyrelay.admin.auditlog;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditPageTest {
    @TempDir
    Path dir;

    @Test
    void lists_logins_and_changes_with_who_what_when_and_filters_them() {
        try (AdminServer server = AdminServer.start(dir)) {
            AdminServer.Session s = server.login();
            server.postForm("/access/tokens", s, Map.of("name", "nightly"));
            server.clock.advance(java.time.Duration.ofMinutes(1));

            String all = server.get("/audit", s).body();
            assertThat(all).containsSubsequence("token.create", "login", "user.add").contains("<td>admin</td>")
                    .contains("127.0.0.1").contains(AdminServer.NODE).contains("first start: password from admin.password");
            String tokens = server.get("/audit?action=token.", s).body();
            assertThat(tokens).contains("nightly").doesNotContain("<code>login</code>");

            var api = server.parse(server.get("/api/audit?action=login", s));
            assertThat(api.path("entries")).hasSize(1);
            assertThat(api.path("entries").get(0).path("actor").asText()).isEqualTo("admin");
        }
    }

    @Test
    void shows_a_bad_time_filter_as_an_error() {
        try (AdminServer server = AdminServer.start(dir)) {
            HttpResponse<String> r = server.get("/audit?from=last+week", server.login());

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("a UTC time like");
        }
    }
}
