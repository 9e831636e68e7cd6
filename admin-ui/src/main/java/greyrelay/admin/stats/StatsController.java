package greyrelay.admin.stats;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.queue.QueueOperations;
import greyrelay.admin.queue.QueuedMessage;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Problems;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.stats.StatsQueries;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/stats?from=ISO-INSTANT}: the figures of the morning report (see package-info). */
public final class StatsController implements AdminFeature {
    static final int TOP = 10;
    /** Retry delay buckets (upper bounds) of the greylist's first passes. */
    static final List<Duration> DELAY_BUCKETS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(4), Duration.ofHours(24));

    private final StatsQueries queries;
    private final Optional<QueueOperations> queue;
    private final Pages pages;
    private final Clock clock;

    public StatsController(StatsQueries queries, Optional<QueueOperations> queue, Pages pages, Clock clock) {
        this.queries = queries;
        this.queue = queue;
        this.pages = pages;
        this.clock = clock;
    }

    @Override
    public List<NavItem> nav() {
        return List.of();
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/stats.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/api/stats", this::api);
    }

    private void api(Context ctx) {
        Form f = Form.query(ctx);
        Instant from = f.time("from");
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        Instant now = clock.instant();
        if (from == null) from = now.minus(Duration.ofHours(24));
        ctx.json(report(from, now));
    }

    Map<String, Object> report(Instant from, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", now.toString());
        out.put("decisions", counts(queries.decisionsByOutcome(from), false));
        out.put("byCheck", counts(queries.decisionsByCheck(from, false), true));
        out.put("observed", counts(queries.decisionsByCheck(from, true), true));
        out.put("greylist", greylist(queries.triplets(from), now));
        Map<String, Long> networks = new HashMap<>();
        Map<String, Long> domains = new HashMap<>();
        for (StatsQueries.Count c : queries.deferredClientsAndSenders(from)) {
            networks.merge(network(c.key()), c.n(), Long::sum);
            domains.merge(domain(c.key2()), c.n(), Long::sum);
        }
        out.put("topDeferredNetworks", top(networks));
        out.put("topDeferredSenderDomains", top(domains));
        out.put("probes", counts(queries.probesByOutcome(from), true));
        out.put("slowestMx", queries.slowestMx(from, TOP));
        queue.ifPresent(q -> out.put("queue", queue(q.list(), now)));
        return out;
    }

    private static List<Map<String, Object>> counts(List<StatsQueries.Count> rows, boolean two) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StatsQueries.Count c : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", lower(c.key()));
            if (two) m.put("key2", lower(c.key2()));
            m.put("count", c.n());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> greylist(List<StatsQueries.Triplet> triplets, Instant now) {
        Map<String, Object> g = new LinkedHashMap<>();
        long passed = 0;
        long[] buckets = new long[DELAY_BUCKETS.size() + 1];
        List<Long> delays = new ArrayList<>();
        Map<String, Long> neverRetried = new HashMap<>();
        for (StatsQueries.Triplet t : triplets) {
            if (t.passedAt() != null) {
                passed++;
                Duration d = Duration.between(t.firstSeen(), t.passedAt());
                delays.add(d.toSeconds());
                int i = 0;
                while (i < DELAY_BUCKETS.size() && d.compareTo(DELAY_BUCKETS.get(i)) > 0) i++;
                buckets[i]++;
            } else if (t.attempts() <= 1) {
                neverRetried.merge(t.sender().isEmpty() ? "<>" : t.sender(), 1L, Long::sum);
            }
        }
        g.put("triplets", triplets.size());
        g.put("passed", passed);
        g.put("passRatePercent", triplets.isEmpty() ? 0 : Math.round(1000.0 * passed / triplets.size()) / 10.0);
        delays.sort(null);
        g.put("medianDelaySeconds", delays.isEmpty() ? null : delays.get(delays.size() / 2));
        List<Map<String, Object>> dist = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            dist.add(Map.of("upTo", i < DELAY_BUCKETS.size() ? label(DELAY_BUCKETS.get(i)) : "more", "count", buckets[i]));
        }
        g.put("delays", dist);
        g.put("neverRetried", neverRetried.values().stream().mapToLong(Long::longValue).sum());
        g.put("topNeverRetriedSenders", top(neverRetried));
        return g;
    }

    private static Map<String, Object> queue(List<QueuedMessage> messages, Instant now) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("messages", messages.size());
        q.put("dsns", messages.stream().filter(m -> m.kind().equals("dsn")).count());
        q.put("bytes", messages.stream().mapToLong(QueuedMessage::size).sum());
        q.put("oldestAgeSeconds", messages.stream().map(m -> Duration.between(m.receivedAt(), now).toSeconds()).max(Long::compare).orElse(0L));
        q.put("withErrors", messages.stream().filter(m -> m.lastError() != null).count());
        return q;
    }

    private static List<Map<String, Object>> top(Map<String, Long> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(e -> Map.<String, Object>of("key", e.getKey(), "count", e.getValue())).toList();
    }

    /** The /24 (IPv4) or /64 (IPv6) a client address is in, as the greylist keys networks by default. */
    static String network(String ip) {
        if (ip == null) return "-";
        try {
            return IpNetwork.of(IpNetwork.literal(ip), ip.contains(":") ? 64 : 24).cidr();
        } catch (RuntimeException e) {
            return ip;
        }
    }

    static String domain(String sender) {
        if (sender == null || sender.isEmpty()) return "<>";
        int at = sender.lastIndexOf('@');
        return at < 0 ? sender.toLowerCase(Locale.ROOT) : sender.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static String label(Duration d) {
        return d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
