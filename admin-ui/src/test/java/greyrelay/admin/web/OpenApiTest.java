package greyrelay.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document describes exactly the registered {@code /api} routes: none missing, none invented. */
class OpenApiTest {
    static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete");

    @TempDir
    Path dir;

    @Test
    void documents_every_api_route_of_the_embedded_panel_and_nothing_else() {
        try (AdminServer server = AdminServer.start(dir)) {
            assertThat(documented(server)).isEqualTo(registered(server)).contains("delete /api/queue/{id}", "get /api/me");
        }
    }

    @Test
    void documents_no_queue_routes_when_the_panel_runs_without_a_queue() {
        try (AdminServer server = AdminServer.start(greyrelay.db.testing.TestDatabases.h2(dir), true, AdminServer.settings(), null, b -> {})) {
            Set<String> documented = documented(server);
            assertThat(documented).isEqualTo(registered(server));
            assertThat(documented).noneMatch(r -> r.contains("/api/queue"));
        }
    }

    @Test
    void every_reference_in_the_document_resolves() {
        try (AdminServer server = AdminServer.start(dir)) {
            JsonNode doc = server.parse(server.get("/api/openapi.json", server.login()));
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            Set<String> refs = new TreeSet<>();
            collectRefs(doc, refs);
            assertThat(refs).isNotEmpty();
            for (String ref : refs) {
                assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
            }
        }
    }

    static Set<String> registered(AdminServer server) {
        Set<String> out = new TreeSet<>();
        server.app.unsafe.internalRouter.allHttpHandlers().forEach(p -> {
            String m = p.endpoint.method.name().toLowerCase(Locale.ROOT);
            if (HTTP_METHODS.contains(m) && p.endpoint.path.startsWith("/api/")) out.add(m + " " + p.endpoint.path);
        });
        return out;
    }

    static Set<String> documented(AdminServer server) {
        HttpResponse<String> r = server.get("/api/openapi.json", server.login());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = server.parse(r).path("paths");
        Set<String> out = new TreeSet<>();
        Iterator<String> names = paths.fieldNames();
        while (names.hasNext()) {
            String path = names.next();
            paths.path(path).fieldNames().forEachRemaining(m -> {
                if (HTTP_METHODS.contains(m)) out.add(m + " " + path);
            });
        }
        return out;
    }

    static void collectRefs(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) out.add(e.getValue().asText());
                else collectRefs(e.getValue(), out);
            });
        } else if (n.isArray()) {
            n.forEach(x -> collectRefs(x, out));
        }
    }
}
