package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.relay.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greyrelay decisions [--follow] [--client IP] [--since 1h]}: the decision log ({@code /api/decisions}), oldest
 * first like a log; {@code --follow} keeps printing new decisions (tail -f) until interrupted.
 */
@Command(name = "decisions", description = {"The decision log: who was accepted, deferred or refused, by which check and why.",
        "--follow keeps printing new decisions until interrupted (Ctrl-C)."})
final class DecisionsCommand extends ApiCommand {
    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "1h", description = "how far back (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--client", paramLabel = "IP", description = "only this client address")
    String client;

    @Option(names = "--sender", paramLabel = "TEXT", description = "senders containing TEXT")
    String sender;

    @Option(names = "--recipient", paramLabel = "TEXT", description = "recipients containing TEXT")
    String recipient;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "accepted, deferred, rejected or disconnected")
    String outcome;

    @Option(names = "--follow", description = "keep printing new decisions")
    boolean follow;

    @Option(names = "--json", description = "one JSON object per decision, one per line")
    boolean json;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "2s", hidden = true)
    String interval;

    /** Stops --follow (tests). */
    static volatile boolean stop;

    @Override
    int run(ControlApi api) throws Exception {
        Duration back;
        Duration every;
        try {
            back = Durations.parse(since);
            every = Durations.parse(interval);
        } catch (RuntimeException e) {
            throw usage(e.getMessage());
        }
        Instant from = api.now().minus(back).truncatedTo(ChronoUnit.SECONDS);
        Set<Long> seen = new HashSet<>();
        do {
            List<JsonNode> rows = fetch(api, from);
            for (JsonNode d : rows.reversed()) {
                if (!seen.add(d.path("id").asLong())) continue;
                print(d);
                Instant at = Instant.parse(d.path("decidedAt").asText());
                if (at.isAfter(from)) from = at.truncatedTo(ChronoUnit.SECONDS);
            }
            System.out.flush();
            if (follow && !stop) Thread.sleep(every.toMillis());
        } while (follow && !stop);
        return 0;
    }

    /** Newest first, every page since {@code from}. */
    private List<JsonNode> fetch(ControlApi api, Instant from) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int offset = 0; ; offset += 500) {
            JsonNode page = api.call("GET", "/api/decisions?limit=500&offset=" + offset + param("from", from.toString())
                    + param("client", client) + param("sender", sender) + param("recipient", recipient)
                    + param("outcome", outcome == null ? null : outcome.toLowerCase(Locale.ROOT)), null);
            page.path("decisions").forEach(out::add);
            if (!page.path("more").asBoolean() || offset > 100_000) return out;
        }
    }

    private void print(JsonNode d) throws Exception {
        if (json) {
            System.out.println(ControlApi.JSON.writeValueAsString(d));
            return;
        }
        System.out.printf("%s %-12s %-4s %-22s %s from %s helo=<%s> from=<%s> to=<%s>: %s %s%n", d.path("decidedAt").asText(),
                d.path("outcome").asText().toLowerCase(Locale.ROOT) + (d.path("observe").asBoolean() ? "(obs)" : ""), d.path("phase").asText(),
                d.path("checkName").asText(), text(d.path("replyCode")), text(d.path("clientIp")), d.path("helo").isNull() ? "" : d.path("helo").asText(),
                d.path("sender").isNull() ? "" : d.path("sender").asText(), d.path("recipient").isNull() ? "" : d.path("recipient").asText(),
                text(d.path("reason")), d.path("queueId").isNull() ? "" : "queued as " + d.path("queueId").asText());
    }
}
