package greyrelay.admin.probes;

import static greyrelay.admin.probes.ProbeFixtures.JANE;
import static greyrelay.admin.probes.ProbeFixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.db.Database;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification pages of an embedded panel over HTTP, with a fake of the relay's operations. */
class VerificationPageTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;
    static FakeOperations relay;
    List<ProbeRecord> probes;

    /** The relay's side, recorded: reverify answers what the test says; forget deletes from the shared cache. */
    static final class FakeOperations implements VerificationOperations {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final VerificationCache cache;
        volatile Reverify next = new Reverify.Started();
        volatile Freeze frozen;

        FakeOperations(Database db) {
            this.cache = new VerificationCache(db);
        }

        @Override
        public Reverify reverify(CacheKind kind, String address) {
            calls.add("reverify " + kind + " " + address);
            return next;
        }

        @Override
        public boolean forget(CacheKind kind, String address) {
            calls.add("forget " + kind + " " + address);
            return cache.delete(kind, address);
        }

        @Override
        public java.util.Optional<Freeze> freeze(String domain) {
            return domain.equals("flooded.example.org") ? java.util.Optional.ofNullable(frozen) : java.util.Optional.empty();
        }
    }

    @BeforeAll
    static void start() {
        Database db = TestDatabases.h2(dir);
        relay = new FakeOperations(db);
        server = AdminServer.start(db, true, AdminServer.settings(), new FakeQueue(), b -> b.verification(relay));
        session = server.login();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void seed() {
        probes = ProbeFixtures.seed(server.database, server.clock.instant());
        relay.calls.clear();
        relay.next = new Reverify.Started();
        relay.frozen = null;
    }

    // ---- vouching ------------------------------------------------------------------------------------------------

    @Test
    void a_domains_page_shows_its_freeze_its_learned_networks_and_how_many_senders_were_vouched_for() throws Exception {
        java.time.Instant now = server.clock.instant();
        greyrelay.db.verify.VouchStore vouches = new greyrelay.db.verify.VouchStore(server.database);
        vouches.learn("flooded.example.org", "198.51.100.0/24", now.minusSeconds(600), now.minusSeconds(600));
        vouches.learn("flooded.example.org", "2001:db8:7::/64", now.minus(java.time.Duration.ofDays(400)), now.minus(java.time.Duration.ofDays(400)));
        for (int i = 0; i < 3; i++) vouches.vouched("flooded.example.org", "spf", now);
        vouches.vouched("flooded.example.org", "known-network", now);

        String before = server.get("/verification/domains/flooded.example.org", session).body();
        assertThat(before).contains("data-field=\"not-frozen\"").doesNotContain("data-field=\"frozen-until\"");

        relay.frozen = new Freeze(now.plusSeconds(3600), "a burst of 50 distinct new local parts within 10m");
        String page = server.get("/verification/domains/flooded.example.org", session).body();
        assertThat(page).contains("data-field=\"frozen-until\"").contains("a burst of 50 distinct new local parts within 10m")
                .contains("<td class=\"addr\" data-field=\"network\">198.51.100.0/24</td>")
                .as("a network older than greylist.maxAge is not shown").doesNotContain("2001:db8:7::/64")
                .contains("<strong data-field=\"vouched-total\">4</strong>")
                .contains("vouched by SPF: <span data-field=\"vouched-spf\">3</span>")
                .contains("vouched by known network: <span data-field=\"vouched-known-network\">1</span>");

        JsonNode api = server.parse(server.get("/api/verification/domains/flooded.example.org", session));
        assertThat(api.at("/vouching/freeze/why").asText()).contains("burst of 50");
        assertThat(api.at("/vouching/networks/0/network").asText()).isEqualTo("198.51.100.0/24");
        assertThat(api.at("/vouching/vouchedTotal").asLong()).isEqualTo(4);
    }

    static List<AuditEntry> audit(String action) {
        return new AuditLog(server.database).search(new AuditQuery(null, action, null, null, 50, 0));
    }

    // ---- history -------------------------------------------------------------------------------------------------

    @Test
    void lists_probes_newest_first_and_marks_answers_from_the_cache() {
        HttpResponse<String> r = server.get("/verification?source=all", session);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<h1>Verification history").contains("aria-current=\"page\">Probe history")
                .containsSubsequence("bob@example.com", MALLORY, JANE, JANE)
                .contains("<tr class=\"cache-hit\">").contains("<span class=\"badge cache\"")
                .contains("5.1.1 &lt;script&gt;alert('reply')&lt;/script&gt; no such user").doesNotContain("<script>alert")
                .contains("2500 ms").contains("Verify an address now");
    }

    @Test
    void hides_cache_answers_by_default_and_one_link_shows_them() {
        String page = server.get("/verification?domain=example.org", session).body();
        assertThat(rowsOf("/verification?domain=example.org")).containsExactly(JANE);
        assertThat(page).doesNotContain("<tr class=\"cache-hit\">").contains("id=\"cache-hidden\"")
                .contains("href=\"/verification?domain=example.org&amp;source=all\" data-action=\"show-cache\"");
        String all = server.get("/verification?domain=example.org&source=all", session).body();
        assertThat(all).contains("<tr class=\"cache-hit\">").doesNotContain("id=\"cache-hidden\"")
                .contains("<option value=\"all\" selected>");
        assertThat(rowsOf("/verification?domain=example.org&source=all")).containsExactly(JANE, JANE);
        // the API keeps answering both unless asked
        assertThat(server.parse(server.get("/api/verification/probes?domain=example.org", session)).path("probes")).hasSize(2);
    }

    @Test
    void searches_by_address_domain_outcome_kind_source_and_time_and_sorts() {
        assertThat(rowsOf("/verification?address=MALLORY")).containsExactly(MALLORY);
        assertThat(rowsOf("/verification?domain=Example.ORG&source=all")).containsExactly(JANE, JANE);
        assertThat(rowsOf("/verification?outcome=undeliverable")).containsExactly(MALLORY);
        assertThat(rowsOf("/verification?kind=recipient")).containsExactly("bob@example.com");
        assertThat(rowsOf("/verification?source=cache")).containsExactly(JANE);
        assertThat(rowsOf("/verification?source=probe&domain=example.org")).containsExactly(JANE);
        assertThat(rowsOf("/verification?from=2026-11-27T08:00&to=2026-11-27T09:45&source=all")).containsExactly(MALLORY, JANE);
        assertThat(rowsOf("/verification?sort=slowest&source=all")).containsExactly(MALLORY, JANE, "bob@example.com", JANE);
        assertThat(rowsOf("/verification?sort=oldest&source=all")).containsExactly(JANE, JANE, MALLORY, "bob@example.com");
    }

    /** The addresses of the result rows, in order. */
    static List<String> rowsOf(String path) {
        HttpResponse<String> r = server.get(path, session);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return java.util.regex.Pattern.compile("<td class=\"addr\"><a href=\"/verification\\?address=[^\"]*\"><span class=\"clip\" title=\"[^\"]*\">([^<]*)</span>")
                .matcher(r.body()).results().map(m -> m.group(1)).toList();
    }

    @Test
    void pages_through_the_history_keeping_the_search() {
        HttpResponse<String> first = server.get("/verification?domain=example.org&source=all&limit=1", session);

        assertThat(rowsOf("/verification?domain=example.org&source=all&limit=1")).containsExactly(JANE);
        assertThat(first.body()).contains("href=\"/verification?domain=example.org&amp;source=all&amp;offset=1&amp;limit=1\" rel=\"next\"");
        assertThat(rowsOf("/verification?domain=example.org&source=all&offset=1&limit=1")).containsExactly(JANE);
        assertThat(server.get("/verification?domain=example.org&source=all&offset=1&limit=1", session).body()).doesNotContain("rel=\"next\"")
                .contains("rel=\"prev\"");
    }

    @Test
    void says_so_when_nothing_matches() {
        assertThat(server.get("/verification?address=nobody", session).body()).contains("No probes match");
        ProbeFixtures.clear(server.database);
        assertThat(server.get("/verification", session).body()).contains("No probes match").contains("verification.historyRetention");
    }

    @Test
    void shows_validation_errors_next_to_the_search_fields() {
        HttpResponse<String> r = server.get("/verification?outcome=maybe&domain=no%20such%20domain&from=yesterday&sort=random", session);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Please correct the highlighted fields").contains("one of deliverable, undeliverable")
                .contains("a domain such as example.org").contains("a UTC time like 2026-03-01T10:00")
                .contains("one of newest, oldest, slowest, address").doesNotContain("<table class=\"probes\"");
        assertThat(server.get("/verification?from=2026-11-27T10:00&to=2026-11-27T09:00", session).body()).contains("must be after from");
    }

    // ---- one probe ---------------------------------------------------------------------------------------------

    @Test
    void shows_a_hostile_probe_with_its_transcript_as_escaped_text_its_cache_state_and_the_domains_profile() {
        ProbeRecord p = ProbeFixtures.byAddress(probes, MALLORY, false);

        HttpResponse<String> r = server.get("/verification/probes/" + p.id(), session);

        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        assertThat(body).contains("<pre class=\"transcript\"")
                .contains("<span class=\"line server\">S: 250 &lt;script&gt;window.pwned=1&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</span>")
                .contains("<span class=\"line client\">C: RCPT TO:&lt;" + MALLORY + "&gt;</span>")
                .contains("S: 221 bye \\u202Eevil\\x07 &lt;/pre&gt;&lt;script&gt;window.pwned=2&lt;/script&gt;")
                .doesNotContain("<script>window.pwned").doesNotContain("<img src=x").doesNotContain("\u202E");
        assertThat(body).contains("mx.hostile.example.net").contains("192.0.2.66").contains("2500 ms").contains("UNDELIVERABLE".toLowerCase())
                .contains("a client waited for it");
        assertThat(body).contains("Cached verdict now").contains("badge state-fresh").contains("first refusal")
                .contains("5.1.1 &lt;script&gt;alert('cache')&lt;/script&gt;").contains("Verify again now")
                .contains("Forget cached result");
        assertThat(body).contains("Refuses the null sender").contains("Greylists our probes").contains("in force")
                .contains("expired").contains("2026-11-27 09:30:00");
    }

    @Test
    void shows_an_answer_from_the_cache_without_a_transcript_and_lists_the_addresss_other_verifications() {
        ProbeRecord hit = ProbeFixtures.byAddress(probes, JANE, true);
        ProbeRecord probe = ProbeFixtures.byAddress(probes, JANE, false);

        String body = server.get("/verification/probes/" + hit.id(), session).body();

        assertThat(body).contains("answered from the cache").contains("No transcript").doesNotContain("<pre class=\"transcript\"")
                .contains("none: no connection was made").contains("Other verifications of this address")
                .contains("href=\"/verification/probes/" + probe.id() + "\"").contains("Accepts every address");
    }

    @Test
    void answers_not_found_for_an_unknown_or_malformed_probe_id() {
        assertThat(server.get("/verification/probes/999999999", session).statusCode()).isEqualTo(404);
        assertThat(server.get("/verification/probes/abc", session).statusCode()).isEqualTo(404);
        assertThat(server.get("/api/verification/probes/999999999", session).statusCode()).isEqualTo(404);
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    @Test
    void verify_again_asks_the_relay_for_a_fresh_probe_returns_to_the_probe_and_is_audited() {
        ProbeRecord p = ProbeFixtures.byAddress(probes, MALLORY, false);
        String back = "/verification/probes/" + p.id();

        HttpResponse<String> r = server.postForm("/verification/reverify", session, Map.of("kind", "sender", "address", MALLORY,
                "back", back));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue(back + "?notice=reverify-started");
        assertThat(relay.calls).containsExactly("reverify SENDER " + MALLORY);
        assertThat(server.get(back + "?notice=reverify-started", session).body()).contains("A fresh probe has started in the background");
        assertThat(audit("verification.reverify")).extracting(AuditEntry::actor, AuditEntry::target, AuditEntry::detail)
                .containsExactly(tuple("admin", "sender " + MALLORY, "probe started"));
    }

    @Test
    void verify_again_shows_why_the_relay_refused_and_audits_nothing() {
        relay.next = new Reverify.Refused("the probe budget of hostile.example.net is used up; try again in a minute");

        HttpResponse<String> r = server.postForm("/verification/reverify", session, Map.of("address", MALLORY));

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("No probe now: the probe budget of hostile.example.net is used up");
        assertThat(audit("verification.reverify")).isEmpty();
    }

    @Test
    void forget_deletes_the_cached_verdict_through_the_relay_and_is_audited() {
        HttpResponse<String> r = server.postForm("/verification/forget", session, Map.of("kind", "sender", "address", "Jane@Example.org",
                "back", "/verification/domains/example.org"));

        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/verification/domains/example.org?notice=forgotten");
        assertThat(relay.calls).containsExactly("forget SENDER " + JANE);
        assertThat(new VerificationCache(server.database).find(CacheKind.SENDER, JANE)).isEmpty();
        assertThat(audit("verification.forget")).singleElement().satisfies(e -> {
            assertThat(e.target()).isEqualTo("sender " + JANE);
            assertThat(e.detail()).startsWith("forgot the cached verdict VALID of 2026-11-27 07:30:00 UTC");
        });

        HttpResponse<String> again = server.postForm("/verification/forget", session, Map.of("address", JANE));
        assertThat(again.headers().firstValue("Location")).hasValue("/verification?notice=nothing-cached");
        assertThat(audit("verification.forget")).extracting(AuditEntry::detail).contains("nothing was cached");
    }

    @Test
    void refuses_an_action_on_something_that_is_not_an_address_and_shows_why() {
        HttpResponse<String> r = server.postForm("/verification/reverify", session, Map.of("address", "jane@example.org\r\nRSET"));
        HttpResponse<String> kind = server.postForm("/verification/forget", session, Map.of("address", JANE, "kind", "mailbox"));
        HttpResponse<String> none = server.postForm("/verification/forget", session, Map.of());

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("address").contains("an address such as jane@example.org");
        assertThat(kind.statusCode()).isEqualTo(400);
        assertThat(kind.body()).contains("one of sender, recipient");
        assertThat(none.body()).contains("required");
        assertThat(relay.calls).isEmpty();
    }

    @Test
    void returns_only_to_its_own_pages_after_an_action() {
        HttpResponse<String> r = server.postForm("/verification/forget", session, Map.of("address", JANE, "back", "https://evil.example/"));
        HttpResponse<String> sneaky = server.postForm("/verification/forget", session, Map.of("address", JANE,
                "back", "/verification/probes/1/../../../logout"));

        assertThat(r.headers().firstValue("Location")).hasValue("/verification?notice=forgotten");
        assertThat(sneaky.headers().firstValue("Location")).hasValue("/verification?notice=nothing-cached");
    }

    // ---- domain profiles ---------------------------------------------------------------------------------------

    @Test
    void lists_and_searches_domain_profiles_by_name_and_trait() {
        HttpResponse<String> all = server.get("/verification/domains", session);

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains("aria-current=\"page\">Domain profiles").containsSubsequence("hostile.example.net", "example.org")
                .contains("A trait counts for 7d");
        assertThat(server.get("/verification/domains?q=HOSTILE", session).body()).contains("hostile.example.net")
                .doesNotContain(">example.org</span></a>");
        assertThat(server.get("/verification/domains?trait=accepts_any", session).body()).contains(">example.org</span></a>")
                .doesNotContain("hostile.example.net</span></a>");
        assertThat(server.get("/verification/domains?trait=refuses_null_sender", session).body())
                .as("observed 10 days ago: no longer counts with a 7-day lifetime").contains("No domain matches");
        HttpResponse<String> bad = server.get("/verification/domains?trait=evil", session);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("one of unreachable, refuses_null_sender");
    }

    @Test
    void shows_one_domains_profile_and_cached_verdicts_and_forgets_the_profile_with_an_audit_entry() {
        HttpResponse<String> page = server.get("/verification/domains/example.org", session);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>example.org</h1>").contains("Accepts every address").contains("Counts until")
                .contains(JANE).contains("old@example.org").contains("badge state-expired").contains("Forget this profile");

        HttpResponse<String> r = server.postForm("/verification/domains/example.org/forget", session, Map.of());

        assertThat(r.headers().firstValue("Location")).hasValue("/verification/domains/example.org?notice=profile-forgotten");
        assertThat(new DomainProfiles(server.database).find("example.org")).isEmpty();
        assertThat(server.get("/verification/domains/example.org?notice=profile-forgotten", session).body())
                .contains("The domain's profile is forgotten").contains("Nothing learned");
        assertThat(audit("verification.profile.forget")).extracting(AuditEntry::target, AuditEntry::detail)
                .containsExactly(tuple("example.org", "forgot: accepts_any"));
        assertThat(server.get("/verification/domains/not%20a%20domain", session).statusCode()).isEqualTo(404);
    }

    // ---- JSON API --------------------------------------------------------------------------------------------------

    @Test
    void offers_the_history_a_probe_and_a_cached_verdict_through_the_json_api() {
        JsonNode list = server.parse(server.get("/api/verification/probes?source=cache", session));
        assertThat(list.path("probes")).hasSize(1);
        assertThat(list.path("probes").get(0).path("cacheHit").asBoolean()).isTrue();
        assertThat(list.path("probes").get(0).has("transcript")).isFalse();
        assertThat(list.path("more").asBoolean()).isFalse();

        ProbeRecord p = ProbeFixtures.byAddress(probes, MALLORY, false);
        JsonNode one = server.parse(server.get("/api/verification/probes/" + p.id(), session));
        assertThat(one.path("probe").path("transcript").asText()).contains(ProbeFixtures.HOSTILE_REPLY);
        assertThat(one.path("cache").path("status").asText()).isEqualTo("INVALID");
        assertThat(one.path("cache").path("state").asText()).isEqualTo("FRESH");
        assertThat(one.path("profile").path("traits")).hasSize(5);

        JsonNode cached = server.parse(server.get("/api/verification/cache?address=" + JANE, session));
        assertThat(cached.path("kind").asText()).isEqualTo("SENDER");
        assertThat(cached.path("cache").path("expiresAt").asText()).isEqualTo("2026-12-28T10:30:00Z");
        assertThat(server.parse(server.get("/api/verification/cache?address=nobody@example.org", session)).path("cache").isNull()).isTrue();

        HttpResponse<String> bad = server.get("/api/verification/probes?outcome=maybe&limit=0", session);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(server.parse(bad).path("fields").fieldNames()).toIterable().containsExactlyInAnyOrder("outcome", "limit");
    }

    @Test
    void verifies_again_and_forgets_through_the_json_api() {
        HttpResponse<String> again = server.json("POST", "/api/verification/reverify", session, "{\"address\":\"" + JANE + "\"}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(server.parse(again).path("result").asText()).isEqualTo("started");
        relay.next = new Reverify.AlreadyRunning();
        assertThat(server.parse(server.json("POST", "/api/verification/reverify", session, "{\"address\":\"" + JANE + "\"}"))
                .path("result").asText()).isEqualTo("already_running");
        relay.next = new Reverify.Refused("sender verification is off");
        HttpResponse<String> refused = server.json("POST", "/api/verification/reverify", session, "{\"address\":\"" + JANE + "\"}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(server.parse(refused).path("error").asText()).contains("sender verification is off");

        HttpResponse<String> forget = server.json("POST", "/api/verification/forget", session,
                "{\"kind\":\"sender\",\"address\":\"" + MALLORY + "\"}");
        assertThat(server.parse(forget).path("forgotten").asBoolean()).isTrue();
        assertThat(server.json("POST", "/api/verification/forget", session, "{\"address\":\"not an address\"}").statusCode()).isEqualTo(400);
        assertThat(server.json("POST", "/api/verification/forget", session, "[]").statusCode()).isEqualTo(400);

        assertThat(relay.calls).containsExactly("reverify SENDER " + JANE, "reverify SENDER " + JANE, "reverify SENDER " + JANE,
                "forget SENDER " + MALLORY);
        assertThat(audit("verification.")).extracting(AuditEntry::action).containsExactlyInAnyOrder("verification.reverify",
                "verification.reverify", "verification.forget");
    }

    @Test
    void offers_domain_profiles_through_the_json_api() {
        JsonNode list = server.parse(server.get("/api/verification/domains?trait=greylists_probes", session));
        assertThat(list.path("domains")).hasSize(1);
        JsonNode traits = list.path("domains").get(0).path("traits");
        assertThat(traits.findValuesAsText("state")).containsExactly("NOT_OBSERVED", "EXPIRED", "IN_FORCE", "NOT_OBSERVED", "NOT_OBSERVED");

        JsonNode one = server.parse(server.get("/api/verification/domains/hostile.example.net", session));
        assertThat(one.path("profile").path("domain").asText()).isEqualTo("hostile.example.net");
        assertThat(one.path("cache")).hasSize(1);

        JsonNode gone = server.parse(server.json("DELETE", "/api/verification/domains/hostile.example.net", session, null));
        assertThat(gone.path("forgotten").asBoolean()).isTrue();
        assertThat(server.parse(server.json("DELETE", "/api/verification/domains/hostile.example.net", session, null))
                .path("forgotten").asBoolean()).isFalse();
        assertThat(server.parse(server.get("/api/verification/domains/hostile.example.net", session)).path("profile").isNull()).isTrue();
    }

    static final java.util.Set<String> ROUTES = java.util.Set.of("GET /verification", "GET /verification/probes/{id}",
            "GET /verification/domains", "GET /verification/domains/{domain}", "POST /verification/reverify", "POST /verification/forget",
            "POST /verification/domains/{domain}/forget", "GET /api/verification/probes", "GET /api/verification/probes/{id}",
            "GET /api/verification/cache", "POST /api/verification/reverify", "POST /api/verification/forget",
            "GET /api/verification/domains", "GET /api/verification/domains/{domain}", "DELETE /api/verification/domains/{domain}");

    /** What Javalin registered: the route-security test walks the same list, so it covers these routes by itself. */
    static java.util.Set<String> registered(AdminServer s) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        s.app.unsafe.internalRouter.allHttpHandlers().forEach(p -> out.add(p.endpoint.method.name() + " " + p.endpoint.path));
        return out;
    }

    /** The served OpenAPI paths as "METHOD /path". */
    static java.util.Set<String> documented(AdminServer s) {
        JsonNode paths = s.parse(s.get("/api/openapi.json", s.login())).path("paths");
        java.util.Set<String> out = new java.util.TreeSet<>();
        paths.fieldNames().forEachRemaining(path -> paths.path(path).fieldNames().forEachRemaining(m -> {
            if (List.of("get", "post", "put", "patch", "delete").contains(m)) out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path);
        }));
        return out;
    }

    @Test
    void registers_the_same_routes_embedded_and_alone_once_each_and_documents_every_api_route() {
        java.util.Set<String> embedded = registered(server);
        assertThat(embedded).containsAll(ROUTES);
        assertThat(server.app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(p -> p.endpoint.path.equals("/verification") && p.endpoint.method.name().equals("GET"))).hasSize(1);
        assertThat(documented(server)).isEqualTo(embedded.stream().filter(r -> r.contains(" /api/")).collect(java.util.stream.Collectors.toSet()));
        try (AdminServer alone = AdminServer.start(dir.resolve("alone"), AdminServer.settings(), b -> {})) {
            assertThat(registered(alone)).containsAll(ROUTES);
            assertThat(server.parse(alone.get("/api/openapi.json", alone.login())).path("paths").has("/api/verification/reverify")).isTrue();
        }
    }

    @Test
    void pages_contain_no_inline_script_or_style() {
        ProbeRecord p = ProbeFixtures.byAddress(probes, MALLORY, false);
        for (String path : List.of("/verification", "/verification/probes/" + p.id(), "/verification/domains",
                "/verification/domains/hostile.example.net")) {
            String body = server.get(path, session).body();
            assertThat(body).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
            assertThat(body).as(path).doesNotContain("<style").doesNotContain(" style=\"").doesNotContain(" onclick=")
                    .doesNotContain("javascript:").contains("/static/verification.css");
        }
    }
}
