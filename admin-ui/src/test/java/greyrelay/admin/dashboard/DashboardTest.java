package greyrelay.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.KeyCount;
import greyrelay.db.decision.Outcome;
import greyrelay.db.net.NetworkPrefixes;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DashboardTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static AdminServer.Session session;

    /** 10:30 UTC: the hourly chart's last bucket is 10:00, its first 11:00 the day before. */
    @BeforeAll
    static void start() {
        server = AdminServer.start(dir);
        session = server.login();
        Instant now = server.clock.instant();
        List<DecisionRecord> rows = new ArrayList<>();
        rows.add(row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "192.0.2.10", "a@example.org"));
        rows.add(row(now.minusSeconds(120), Outcome.DEFERRED, "null-sender-greylist", false, "192.0.2.77", "b@example.org"));
        rows.add(row(now.minusSeconds(3600), Outcome.DEFERRED, "greylist", false, "198.51.100.20", "c@Example.NET"));
        rows.add(row(now.minusSeconds(3700), Outcome.DEFERRED, "sender-verification", false, "2001:db8::10", "d@example.org"));
        rows.add(row(now.minusSeconds(30), Outcome.ACCEPTED, "queue", false, "192.0.2.10", "a@example.org"));
        rows.add(row(now.minusSeconds(30), Outcome.REJECTED, "relay-domain", false, "192.0.2.10", "a@example.org"));
        rows.add(row(now.minusSeconds(30), Outcome.REJECTED, "spf", true, "192.0.2.10", "a@example.org"));
        rows.add(row(now.minusSeconds(3 * 86_400), Outcome.ACCEPTED, "queue", false, "192.0.2.10", "a@example.org"));
        rows.add(row(now.minusSeconds(90), Outcome.DEFERRED, "trapped-client", false, "203.0.113.5", "t@example.org"));
        rows.add(row(now.minusSeconds(90), Outcome.DEFERRED, "rate-limit", false, "203.0.113.6", "t@example.org"));
        rows.add(row(now.minusSeconds(90), Outcome.DISCONNECTED, "connection-rate", false, "203.0.113.7", null));
        new DecisionLog(server.database).appendAll(rows);
        server.queue.add(FakeQueue.message("0AAA111BBB", "a@example.org", "b@example.com", now.minusSeconds(7200), null), "");
    }

    static DecisionRecord row(Instant at, Outcome outcome, String check, boolean observe, String ip, String sender) {
        return new DecisionRecord(null, at, "mx1", "s", "s.1", "RCPT", check, outcome, observe, 451, "r", "w", ip, "h", sender,
                "x@example.com", null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<Long> series(JsonNode chart, String key) {
        for (JsonNode s : chart.path("series")) {
            if (s.path("key").asText().equals(key)) {
                List<Long> out = new ArrayList<>();
                s.path("values").forEach(v -> out.add(v.asLong()));
                return out;
            }
        }
        throw new AssertionError("no series " + key);
    }

    @Test
    void counts_enforced_decisions_per_hour_for_24_hours_by_series() {
        JsonNode d = server.parse(server.get("/api/dashboard", session));
        JsonNode hourly = d.path("charts").get(0);

        assertThat(hourly.path("id").asText()).isEqualTo("decisions-24h");
        assertThat(hourly.path("x")).hasSize(24);
        assertThat(hourly.path("x").get(23).asLong()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z").getEpochSecond());
        assertThat(series(hourly, "greylisted").subList(21, 24)).containsExactly(0L, 1L, 2L);
        assertThat(series(hourly, "deferred").subList(21, 24)).containsExactly(0L, 1L, 0L);
        assertThat(series(hourly, "accepted").get(23)).isEqualTo(1L);
        assertThat(series(hourly, "rejected").get(23)).as("the observe-mode row is left out").isEqualTo(1L);
        assertThat(d.path("totals24h").path("greylisted").asLong()).isEqualTo(3);
    }

    @Test
    void counts_spamtrap_blocks_and_rate_limits_apart_from_other_deferrals() {
        JsonNode d = server.parse(server.get("/api/dashboard", session));
        JsonNode hourly = d.path("charts").get(0);

        assertThat(series(hourly, "trapped").get(23)).isEqualTo(1L);
        assertThat(series(hourly, "rate-limited").get(23)).as("a deferred message and a 421 of the connection rate").isEqualTo(2L);
        assertThat(series(hourly, "disconnected").get(23)).isZero();
        assertThat(d.path("totals24h").path("deferred").asLong()).isEqualTo(1);
        assertThat(server.get("/", session).body()).contains("Spamtrap, <span class=\"nowrap\">24 h</span>").contains("Rate-limited, <span class=\"nowrap\">24 h</span>");
    }

    @Test
    void counts_per_day_for_seven_days() {
        JsonNode daily = server.parse(server.get("/api/dashboard", session)).path("charts").get(1);

        assertThat(daily.path("x")).hasSize(7);
        assertThat(series(daily, "accepted")).containsExactly(0L, 0L, 0L, 1L, 0L, 0L, 1L);
    }

    @Test
    void ranks_deferred_client_networks_and_sender_domains() {
        JsonNode d = server.parse(server.get("/api/dashboard", session));

        assertThat(d.path("topDeferredNetworks").get(0).path("key").asText()).isEqualTo("192.0.2.0/24");
        assertThat(d.path("topDeferredNetworks").get(0).path("count").asLong()).isEqualTo(2);
        assertThat(d.path("topDeferredNetworks").toString()).contains("2001:db8::/64").contains("198.51.100.0/24");
        assertThat(d.path("topDeferredSenderDomains").get(0).path("key").asText()).isEqualTo("example.org");
        assertThat(d.path("topDeferredSenderDomains").toString()).contains("example.net");
        assertThat(d.path("queue").path("depth").asInt()).isEqualTo(1);
        assertThat(d.path("queue").path("oldestAgeSeconds").asLong()).isEqualTo(7200);
    }

    @Test
    void renders_tiles_top_lists_and_chart_places_on_the_page() {
        String body = server.get("/", session).body();

        assertThat(body).contains("Greylisted, <span class=\"nowrap\">24 h</span>").contains("<a href=\"/greylist?client=192.0.2.0%2F24\" title=\"this network's greylist triplets\"><code>192.0.2.0/24</code></a>").contains("data-chart=\"decisions-24h\"")
                .contains("/static/dashboard.js").contains("uPlot.iife.min.js").contains("1</span>\n    <span class=\"tile-label\">queued");
    }

    @Test
    void shows_empty_states_without_decisions() {
        try (AdminServer empty = AdminServer.start(dir.resolve("empty"))) {
            String body = empty.get("/", empty.login()).body();
            assertThat(body).contains("Nothing deferred").contains("No client was deferred in the last 24 hours.");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"192.0.2.77,192.0.2.0/24", "2001:db8:1:2:3::4,2001:db8:1:2::/64", "::ffff:192.0.2.9,192.0.2.0/24",
            "999.1.1.1,", "mail.example.com,", "dead.beef,"})
    void groups_addresses_by_network_without_asking_dns(String ip, String network) {
        assertThat(DashboardController.networkOf(ip, NetworkPrefixes.DEFAULT).orElse(null)).isEqualTo(network);
    }

    @ParameterizedTest(name = "{0} /{1} /{2} -> {3}")
    @CsvSource({"192.0.2.77, 16, 48, 192.0.0.0/16", "192.0.2.77, 32, 48, 192.0.2.77",
            "2001:db8:1:2:3::4, 16, 48, 2001:db8:1::/48"})
    void groups_addresses_by_the_configured_prefixes(String ip, int ipv4, int ipv6, String network) {
        assertThat(DashboardController.networkOf(ip, new NetworkPrefixes(ipv4, ipv6))).contains(network);
    }

    @Test
    void adds_up_ips_of_one_network_before_ranking() {
        List<DashboardController.Ranked> top = DashboardController.topNetworks(List.of(new KeyCount("198.51.100.1", 3),
                new KeyCount("192.0.2.1", 2), new KeyCount("192.0.2.2", 2)), NetworkPrefixes.DEFAULT);

        assertThat(top).containsExactly(new DashboardController.Ranked("192.0.2.0/24", 4), new DashboardController.Ranked("198.51.100.0/24", 3));
    }

    @Test
    void the_page_groups_by_the_relays_greylist_prefixes(@TempDir Path other) {
        RelayPolicy.Greylist g = AdminServer.POLICY.greylist();
        RelayPolicy sixteen = new RelayPolicy(new RelayPolicy.Greylist(g.enabled(), g.mode(), g.delay(), g.retryWindow(),
                g.maxAge(), 16, 48, g.autoWhitelistAfter(), g.spamtraps(), g.trapDuration(), g.whitelistRefresh(),
                g.whitelistFiles(), g.defaultWhitelist()), AdminServer.POLICY.rateLimits(), AdminServer.POLICY.verification());
        try (AdminServer s = AdminServer.start(other, AdminServer.settings(), b -> b.relayPolicy(sixteen))) {
            Instant now = s.clock.instant();
            new DecisionLog(s.database).appendAll(List.of(
                    row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "192.0.2.10", "a@example.org"),
                    row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "192.0.77.1", "a@example.org"),
                    row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "2001:db8:1:2::10", "a@example.org")));

            JsonNode top = s.parse(s.get("/api/dashboard", s.login())).path("topDeferredNetworks");

            assertThat(top.get(0).path("key").asText()).isEqualTo("192.0.0.0/16");
            assertThat(top.get(0).path("count").asLong()).isEqualTo(2);
            assertThat(top.get(1).path("key").asText()).isEqualTo("2001:db8:1::/48");
        }
    }

    @Test
    void a_panel_without_the_relays_policy_groups_by_24_and_64(@TempDir Path other) {
        try (AdminServer s = AdminServer.startWithoutPolicy(other)) {
            Instant now = s.clock.instant();
            new DecisionLog(s.database).appendAll(List.of(
                    row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "192.0.2.10", "a@example.org"),
                    row(now.minusSeconds(60), Outcome.DEFERRED, "greylist", false, "2001:db8:1:2::10", "a@example.org")));

            assertThat(s.get("/", s.login()).body()).contains("192.0.2.0/24").contains("2001:db8:1:2::/64");
        }
    }

    @Test
    void the_page_refreshes_itself_every_minute_or_as_asked() {
        String body = server.get("/", session).body();
        assertThat(body).contains("data-refresh=\"60\"").contains("hx-trigger=\"every 60s\"").contains("hx-select=\"#tiles\"");
        assertThat(server.get("/?refresh=5", session).body()).contains("data-refresh=\"5\"").contains("hx-get=\"/?refresh=5\"");
        assertThat(server.get("/?refresh=0", session).statusCode()).isEqualTo(400);
    }
}
