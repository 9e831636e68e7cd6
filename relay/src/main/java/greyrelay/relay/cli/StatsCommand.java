package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.relay.config.Durations;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greyrelay stats [--since 24h]}: a plain-text report to read in the morning, after postgreyreport and pflogsumm:
 * decisions by outcome and check, the greylist's pass rate and retry delays, senders that never retried, the top
 * deferred networks and sender domains, probe outcomes and the slowest MX hosts, what was accepted for delivery, and
 * the queue (running relay only). From the database, through {@code /api/stats}.
 */
@Command(name = "stats", description = {"A plain-text report of the last day (postgreyreport / pflogsumm style):",
        "decisions, greylist pass rate and retry delays, never-retried senders, top deferred networks and domains,",
        "probe outcomes and slowest MX hosts, accepted mail and the queue."})
final class StatsCommand extends ApiCommand {
    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h", description = "how far back (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--json", description = "print the figures as JSON")
    boolean json;

    @Override
    int run(ControlApi api) throws Exception {
        Duration back;
        try {
            back = Durations.parse(since);
        } catch (RuntimeException e) {
            throw usage("--since: " + e.getMessage());
        }
        Instant from = api.now().minus(back);
        JsonNode r = api.call("GET", "/api/stats?from=" + enc(from.toString()), null);
        if (json) {
            printJson(r);
            return 0;
        }
        System.out.println("greyrelay report " + r.path("from").asText() + " .. " + r.path("to").asText());
        heading("Decisions");
        long total = 0;
        for (JsonNode c : r.path("decisions")) total += c.path("count").asLong();
        for (JsonNode c : r.path("decisions")) row(c.path("key").asText(), c.path("count").asLong(), total);
        if (total == 0) System.out.println("  none");
        heading("By check");
        for (JsonNode c : r.path("byCheck")) {
            System.out.printf("  %-26s %-12s %8d%n", c.path("key").asText(), c.path("key2").asText(), c.path("count").asLong());
        }
        if (!r.path("observed").isEmpty()) {
            heading("Would have answered (observe mode)");
            for (JsonNode c : r.path("observed")) {
                System.out.printf("  %-26s %-12s %8d%n", c.path("key").asText(), c.path("key2").asText(), c.path("count").asLong());
            }
        }
        JsonNode g = r.path("greylist");
        heading("Greylist");
        System.out.printf("  new triplets %d, passed %d (%s%%), median retry delay %s%n", g.path("triplets").asLong(), g.path("passed").asLong(),
                g.path("passRatePercent").asText(), g.path("medianDelaySeconds").isNull() ? "-" : Durations.format(Duration.ofSeconds(
                        g.path("medianDelaySeconds").asLong())));
        System.out.println("  retry delays of the passes:");
        for (JsonNode b : g.path("delays")) row("    up to " + b.path("upTo").asText(), b.path("count").asLong(), g.path("passed").asLong());
        System.out.println("  never retried: " + g.path("neverRetried").asLong() + " triplet(s); top senders:");
        top(g.path("topNeverRetriedSenders"));
        heading("Top deferred networks");
        top(r.path("topDeferredNetworks"));
        heading("Top deferred sender domains");
        top(r.path("topDeferredSenderDomains"));
        heading("Probes (callback verification)");
        for (JsonNode c : r.path("probes")) {
            System.out.printf("  %-10s %-14s %8d%n", c.path("key").asText(), c.path("key2").asText(), c.path("count").asLong());
        }
        if (r.path("probes").isEmpty()) System.out.println("  none");
        System.out.println("  slowest MX hosts (mean / max ms, probes):");
        for (JsonNode m : r.path("slowestMx")) {
            System.out.printf("    %-40s %8.0f %8d %6d%n", m.path("host").asText(), m.path("avgMs").asDouble(), m.path("maxMs").asLong(),
                    m.path("probes").asLong());
        }
        heading("Deliveries");
        long accepted = 0;
        for (JsonNode c : r.path("decisions")) if (c.path("key").asText().equals("accepted")) accepted = c.path("count").asLong();
        System.out.println("  accepted for delivery: " + accepted + " recipient(s) (delivery results: the queue and /metrics)");
        JsonNode q = r.path("queue");
        if (q.isMissingNode()) {
            System.out.println("  queue: the relay is not running");
        } else {
            System.out.printf("  queue now: %d message(s), %d bounce(s) (DSNs) waiting, %d with a delivery error, oldest %s, %d bytes%n",
                    q.path("messages").asLong(), q.path("dsns").asLong(), q.path("withErrors").asLong(),
                    Durations.format(Duration.ofSeconds(q.path("oldestAgeSeconds").asLong())), q.path("bytes").asLong());
        }
        return 0;
    }

    private static void heading(String title) {
        System.out.println();
        System.out.println(title);
    }

    private static void row(String label, long n, long total) {
        System.out.printf("  %-26s %8d %5.1f%%%n", label, n, total == 0 ? 0.0 : 100.0 * n / total);
    }

    private static void top(JsonNode list) {
        if (list.isEmpty()) System.out.println("    none");
        for (JsonNode e : list) System.out.printf("    %-40s %8d%n", e.path("key").asText(), e.path("count").asLong());
    }
}
