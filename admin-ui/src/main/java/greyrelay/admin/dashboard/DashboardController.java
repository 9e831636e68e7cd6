package greyrelay.admin.dashboard;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.queue.QueueOperations;
import greyrelay.admin.queue.QueuedMessage;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.db.decision.BucketCount;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.KeyCount;
import greyrelay.db.decision.Outcome;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import io.javalin.config.RoutesConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard ({@code /}) and its data ({@code GET /api/dashboard}): decisions per hour over 24 h and per day over
 * 7 days as charts (drawn by {@code static/dashboard.js} with uPlot from the JSON), 24 h totals, the top deferred client
 * networks and sender domains, and this node's queue when embedded. Only enforced decisions count (observe-mode rows
 * are what would have happened). Hours and days are UTC.
 */
public final class DashboardController implements AdminFeature {
    /** The names under which the greylisting checks (RCPT, and null sender at end of DATA) record their decisions. */
    public static final java.util.Set<String> GREYLIST_CHECKS = java.util.Set.of("greylist", "null-sender-greylist");
    /** Spamtrap hits and clients blocked by one (deferred). */
    public static final java.util.Set<String> TRAP_CHECKS = java.util.Set.of("spamtrap", "null-sender-spamtrap", "trapped-client");
    /** Rate limits: messages and recipients (deferred), connection rate and per-network connections (421). */
    public static final java.util.Set<String> RATE_LIMIT_CHECKS = java.util.Set.of("rate-limit", "connection-rate",
            "network-connection-limit");
    static final int TOP = 10;
    /** How often the open page fetches its tiles and charts again, in seconds ({@code /?refresh=N} within the bounds). */
    static final int DEFAULT_REFRESH = 60;
    static final int MIN_REFRESH = 1;
    static final int MAX_REFRESH = 3600;
    /** IPs read to build the network top list: enough that the top 10 networks are right in all but odd cases. */
    static final int TOP_IPS = 1000;

    /** A series of a decisions chart, in drawing order; add one here and in {@link #seriesOf} to chart it. */
    static final List<SeriesDef> SERIES = List.of(
            new SeriesDef("accepted", "Accepted"),
            new SeriesDef("greylisted", "Greylisted"),
            new SeriesDef("trapped", "Spamtrap"),
            new SeriesDef("rate-limited", "Rate-limited"),
            new SeriesDef("deferred", "Deferred (other)"),
            new SeriesDef("rejected", "Rejected"),
            new SeriesDef("disconnected", "Disconnected"));

    record SeriesDef(String key, String label) {}

    /** One chart: x values are the bucket starts in epoch seconds, one value per x in each series. */
    public record Chart(String id, String title, String step, List<Long> x, List<Series> series) {}

    public record Series(String key, String label, List<Long> values) {}

    public record Ranked(String key, long count) {}

    /** What the dashboard shows, as the API returns it. */
    public record Dashboard(Instant generatedAt, Map<String, Long> totals24h, List<Chart> charts, List<Ranked> topDeferredNetworks,
            List<Ranked> topDeferredSenderDomains, Queue queue) {}

    /** This node's queue; null in a standalone panel. */
    public record Queue(int depth, Long oldestAgeSeconds) {}

    private final DecisionLog decisions;
    private final Optional<QueueOperations> queue;
    private final NetworkPrefixes clientNetworks;
    private final Pages pages;
    private final Clock clock;

    /** @param clientNetworks how deferred client addresses are grouped: the greylist's prefixes */
    public DashboardController(DecisionLog decisions, Optional<QueueOperations> queue, NetworkPrefixes clientNetworks,
            Pages pages, Clock clock) {
        this.decisions = decisions;
        this.queue = queue;
        this.clientNetworks = clientNetworks;
        this.pages = pages;
        this.clock = clock;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Dashboard", "/", 10));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/dashboard.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/", ctx -> {
            Form f = Form.query(ctx);
            int refresh = f.integer("refresh", MIN_REFRESH, MAX_REFRESH, DEFAULT_REFRESH);
            Map<String, Object> model = new HashMap<>();
            model.put("page", pages.of(ctx, "Dashboard", "/").withCharts("/static/dashboard.js"));
            model.put("d", build());
            model.put("refresh", refresh);
            ctx.status(f.ok() ? 200 : 400).render("dashboard/dashboard.jte", model);
        });
        r.get("/api/dashboard", ctx -> ctx.json(build()));
    }

    Dashboard build() {
        Instant now = clock.instant();
        Instant hourStart = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
        Instant dayStart = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(6));
        Chart hourly = chart("decisions-24h", "Decisions per hour, last 24 hours (UTC)", "hour", hourStart, Duration.ofHours(1), 24);
        Chart daily = chart("decisions-7d", "Decisions per day, last 7 days (UTC)", "day", dayStart, Duration.ofDays(1), 7);
        Map<String, Long> totals = new LinkedHashMap<>();
        for (Series s : hourly.series()) totals.put(s.key(), s.values().stream().mapToLong(Long::longValue).sum());
        Instant since = now.minus(Duration.ofHours(24));
        List<Ranked> networks = topNetworks(decisions.topClientIps(Outcome.DEFERRED, since, TOP_IPS), clientNetworks);
        List<Ranked> domains = decisions.topSenderDomains(Outcome.DEFERRED, since, TOP).stream()
                .map(k -> new Ranked(k.key(), k.count())).toList();
        Queue q = queue.map(ops -> {
            List<QueuedMessage> all = ops.list();
            Long oldest = all.stream().map(QueuedMessage::receivedAt).min(Comparator.naturalOrder())
                    .map(t -> Math.max(0, Duration.between(t, now).toSeconds())).orElse(null);
            return new Queue(all.size(), oldest);
        }).orElse(null);
        return new Dashboard(now, totals, List.of(hourly, daily), networks, domains, q);
    }

    private Chart chart(String id, String title, String step, Instant from, Duration bucket, int buckets) {
        Map<String, long[]> values = new LinkedHashMap<>();
        for (SeriesDef s : SERIES) values.put(s.key(), new long[buckets]);
        for (BucketCount c : decisions.histogram(from, bucket, buckets)) {
            long[] v = values.get(seriesOf(c));
            if (v != null) v[c.bucket()] += c.count();
        }
        List<Long> x = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) x.add(from.plus(bucket.multipliedBy(i)).getEpochSecond());
        List<Series> series = new ArrayList<>();
        for (SeriesDef s : SERIES) series.add(new Series(s.key(), s.label(), java.util.Arrays.stream(values.get(s.key())).boxed().toList()));
        return new Chart(id, title, step, x, series);
    }

    /** Which series a count belongs to. */
    static String seriesOf(BucketCount c) {
        return switch (c.outcome()) {
            case ACCEPTED -> "accepted";
            case DEFERRED -> GREYLIST_CHECKS.contains(c.checkName()) ? "greylisted"
                    : TRAP_CHECKS.contains(c.checkName()) ? "trapped"
                    : RATE_LIMIT_CHECKS.contains(c.checkName()) ? "rate-limited" : "deferred";
            case REJECTED -> "rejected";
            case DISCONNECTED -> RATE_LIMIT_CHECKS.contains(c.checkName()) ? "rate-limited" : "disconnected";
        };
    }

    static List<Ranked> topNetworks(List<KeyCount> ips, NetworkPrefixes clientNetworks) {
        Map<String, Long> byNetwork = new HashMap<>();
        for (KeyCount k : ips) networkOf(k.key(), clientNetworks).ifPresent(n -> byNetwork.merge(n, k.count(), Long::sum));
        return byNetwork.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(e -> new Ranked(e.getKey(), e.getValue())).toList();
    }

    /** The client network of a logged client IP, as the greylist keys it; empty for anything but an IP literal. */
    static Optional<String> networkOf(String ip, NetworkPrefixes clientNetworks) {
        if (ip == null) return Optional.empty();
        try {
            return Optional.of(clientNetworks.networkOf(IpNetwork.literal(ip)).toString());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
