package greyrelay.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.db.Jdbc;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.VerificationCache;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side sorting of the auto-whitelisted networks and the domain profiles through the API (the same {@code sort}
 * and {@code dir} as their pages): {@value #ROWS} rows written in a scrambled order, read in pages of 7, come back in
 * order both ways; a nullable column keeps its empty rows last either way; an unknown column is a 400.
 */
class SortingApiTest {
    static final int ROWS = 16;

    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;

    static int scrambled(int i) {
        return i * 5 % ROWS;
    }

    @BeforeAll
    static void start() throws SQLException {
        server = AdminServer.start(dir);
        session = server.login();
        Instant now = server.clock.instant();
        DomainProfiles profiles = new DomainProfiles(server.database);
        VerificationCache cache = new VerificationCache(server.database);
        try (Connection c = server.database.dataSource().getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO greylist_client (client_network, passes, first_seen, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int n = 0; n < ROWS; n++) {
                int i = scrambled(n);
                s.setString(1, "10.%d.0.0/24".formatted(n));
                s.setInt(2, 10 + i);
                s.setObject(3, Jdbc.utc(now.minusSeconds(9000 + n)));
                s.setObject(4, Jdbc.utc(now.minusSeconds(60 + n)));
                s.setObject(5, Jdbc.utc(now.plusSeconds(86_400 + n)));
                s.executeUpdate();
                // every other profile has seen an unreachable MX, at a time in the scrambled order
                Map<DomainTrait, Instant> traits = i % 2 == 0 ? Map.of(DomainTrait.UNREACHABLE, now.minusSeconds(100 + i)) : Map.of();
                profiles.put(new DomainProfile("p%02d.sort.example".formatted(i), traits, now.minusSeconds(n)));
                Instant checked = now.minusSeconds(600 + n);
                cache.put(new CacheEntry(CacheKind.SENDER, "c%02d@cache.example".formatted(i), "cache.example", CacheStatus.VALID, 250,
                        "2.1.5 ok", "mx.cache.example", checked, null, checked.plusSeconds(86_400), checked.plusSeconds(7 * 86_400)));
            }
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every row of a list, read page by page (7 rows each), as {@code field} of {@code array}. */
    static List<String> all(String path, String array, String field) {
        List<String> out = new ArrayList<>();
        for (int offset = 0; ; offset += 7) {
            JsonNode page = server.parse(server.get(path + "&limit=7&offset=" + offset, session));
            page.path(array).forEach(row -> out.add(row.path(field).asText()));
            if (!page.path("more").asBoolean()) return out;
        }
    }

    @Test
    void auto_whitelisted_networks_sort_by_passes_across_pages() {
        List<String> asc = all("/api/greylist/clients?sort=passes&dir=asc", "networks", "passes");
        List<String> desc = all("/api/greylist/clients?sort=passes&dir=desc", "networks", "passes");

        List<String> expected = IntStream.range(0, ROWS).mapToObj(i -> String.valueOf(10 + i)).toList();
        assertThat(asc).containsExactlyElementsOf(expected);
        assertThat(desc).containsExactlyElementsOf(expected.reversed());
        assertThat(server.get("/greylist/clients?sort=passes&dir=desc&limit=7", session).body())
                .contains("aria-sort=\"descending\"").contains("href=\"/greylist/clients?sort=passes&amp;dir=asc\"")
                .as("the pager keeps the order").contains("sort=passes&amp;dir=desc&amp;offset=7&amp;limit=7");
        assertThat(server.get("/api/greylist/clients?sort=client_network", session).statusCode()).isEqualTo(400);
    }

    @Test
    void domain_profiles_sort_by_domain_and_by_a_trait_with_never_observed_last() {
        List<String> domains = IntStream.range(0, ROWS).mapToObj("p%02d.sort.example"::formatted).toList();
        assertThat(all("/api/verification/domains?sort=domain&dir=asc", "domains", "domain")).containsExactlyElementsOf(domains);
        assertThat(all("/api/verification/domains?sort=domain&dir=desc", "domains", "domain")).containsExactlyElementsOf(domains.reversed());

        // unreachable at now - 100 - i for even i: ascending time is descending i; the odd ones (never) last both ways
        List<String> asc = all("/api/verification/domains?sort=unreachable&dir=asc", "domains", "domain");
        List<String> desc = all("/api/verification/domains?sort=unreachable&dir=desc", "domains", "domain");
        List<String> observed = domains.stream().filter(d -> Integer.parseInt(d.substring(1, 3)) % 2 == 0).toList();
        assertThat(asc.subList(0, observed.size())).containsExactlyElementsOf(observed.reversed());
        assertThat(desc.subList(0, observed.size())).containsExactlyElementsOf(observed);
        assertThat(asc.subList(observed.size(), ROWS)).allMatch(d -> Integer.parseInt(d.substring(1, 3)) % 2 == 1);
        assertThat(desc.subList(observed.size(), ROWS)).allMatch(d -> Integer.parseInt(d.substring(1, 3)) % 2 == 1);

        assertThat(server.get("/verification/domains?sort=domain&dir=asc", session).body())
                .contains("aria-sort=\"ascending\"").contains("data-sort=\"null_mx\"")
                .containsSubsequence("p00.sort.example", "p01.sort.example", "p02.sort.example");
        assertThat(server.get("/api/verification/domains?sort=updated_at", session).statusCode()).isEqualTo(400);
    }

    @Test
    void a_domains_cached_verdicts_sort_on_the_server() {
        List<String> addresses = IntStream.range(0, ROWS).mapToObj("c%02d@cache.example"::formatted).toList();
        JsonNode asc = server.parse(server.get("/api/verification/domains/cache.example?sort=address&dir=asc", session));
        JsonNode desc = server.parse(server.get("/api/verification/domains/cache.example?sort=address&dir=desc", session));

        assertThat(asc.path("cache").findValuesAsText("address")).containsExactlyElementsOf(addresses);
        assertThat(desc.path("cache").findValuesAsText("address")).containsExactlyElementsOf(addresses.reversed());
        assertThat(server.get("/verification/domains/cache.example?sort=address&dir=desc", session).body())
                .contains("aria-sort=\"descending\"").contains("href=\"/verification/domains/cache.example?sort=address&amp;dir=asc\"")
                .containsSubsequence("c15@cache.example", "c14@cache.example", "c00@cache.example");
        assertThat(server.get("/api/verification/domains/cache.example?sort=reply", session).statusCode()).isEqualTo(400);
        assertThat(server.get("/verification/domains/cache.example?dir=up", session).statusCode()).isEqualTo(400);
    }
}
