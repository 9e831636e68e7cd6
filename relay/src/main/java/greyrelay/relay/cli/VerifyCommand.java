package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code greyrelay verify ADDRESS [--recipient] [--now]}: what callback verification knows about an address: its cached
 * verdict, its domain's learned profile and its last probes ({@code /api/verification/...}). {@code --now} asks the
 * running relay to probe again now (a stopped relay has no verifier: exit 1).
 */
@Command(name = "verify", description = {"What callback verification knows about an address: cache entry, domain profile, last probes.",
        "--now probes it again now (needs the running relay)."})
final class VerifyCommand extends ApiCommand {
    @Parameters(paramLabel = "ADDRESS")
    String address;

    @Option(names = "--recipient", description = "one of our recipients (verified downstream) rather than a sender")
    boolean recipient;

    @Option(names = "--now", description = "probe again now, then show the result")
    boolean now;

    @Option(names = "--probes", paramLabel = "N", defaultValue = "5", description = "how many recent probes to show (default: ${DEFAULT-VALUE})")
    int probes;

    @Option(names = "--json", description = "print what is known as JSON")
    boolean json;

    @Override
    int run(ControlApi api) throws Exception {
        if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) throw usage("not an address: " + address);
        String kind = recipient ? "recipient" : "sender";
        String addr = address.toLowerCase(Locale.ROOT);
        String domain = addr.substring(addr.indexOf('@') + 1);
        ObjectNode out = ControlApi.JSON.createObjectNode().put("address", addr).put("kind", kind);
        if (now) {
            if (!api.isRelay()) throw new ControlApi.Failure("--now needs the running relay (its verifiers probe); none answers");
            try {
                String before = latestProbe(api, kind, addr);
                JsonNode r = api.request("POST", "/api/verification/reverify",
                        ControlApi.JSON.createObjectNode().put("kind", kind).put("address", addr).toString());
                out.put("reverify", r.path("result").asText());
                waitForProbe(api, kind, addr, before);
            } catch (ControlApi.Refused r) {
                throw new ControlApi.Failure(r.getMessage());
            }
        }
        out.set("cache", api.call("GET", "/api/verification/cache?kind=" + kind + param("address", addr), null).path("cache"));
        out.set("profile", recipient ? null : api.call("GET", "/api/verification/domains/" + enc(domain), null).path("profile"));
        out.set("probes", api.call("GET", "/api/verification/probes?limit=" + Math.max(1, probes) + "&kind=" + kind
                + param("address", addr), null).path("probes"));
        if (json) {
            printJson(out);
            return 0;
        }
        System.out.println(kind + " <" + addr + ">" + (out.has("reverify") ? "  (probe " + out.path("reverify").asText().replace('_', ' ') + ")" : ""));
        JsonNode c = out.path("cache");
        if (c.isNull() || c.isMissingNode()) {
            System.out.println("cache:   nothing cached");
        } else {
            System.out.printf("cache:   %s (%s) %s %s via %s, checked %s, expires %s%n", c.path("status").asText().toLowerCase(Locale.ROOT),
                    c.path("state").asText().toLowerCase(Locale.ROOT).replace('_', ' '), text(c.path("replyCode")), text(c.path("replyText")),
                    text(c.path("mxHost")), text(c.path("checkedAt")), text(c.path("expiresAt")));
        }
        if (!recipient) {
            JsonNode p = out.path("profile");
            if (p.isNull() || p.isMissingNode() || p.path("traits").isEmpty()) {
                System.out.println("profile: nothing learned about " + domain);
            } else {
                System.out.println("profile: " + domain + ", updated " + text(p.path("updatedAt")));
                for (JsonNode t : p.path("traits")) {
                    System.out.printf("  %-28s %-8s %s (until %s)%n", t.path("label").asText(), t.path("state").asText().toLowerCase(Locale.ROOT),
                            t.path("meaning").asText(), text(t.path("expiresAt")));
                }
            }
        }
        JsonNode ps = out.path("probes");
        System.out.println("probes:  " + (ps.isEmpty() ? "none" : ps.size() + " most recent"));
        for (JsonNode p : ps) {
            System.out.printf("  %s %-10s %s %s via %s [%s] %d ms%s%n", p.path("probedAt").asText(), p.path("outcome").asText(),
                    text(p.path("replyCode")), text(p.path("replyText")), text(p.path("mxHost")), text(p.path("mxIp")), p.path("durationMs").asLong(),
                    p.path("cacheHit").asBoolean() ? " (cache answer)" : "");
        }
        return 0;
    }

    /** A probe takes a few seconds: wait (at most a minute) until the probe log has a row newer than the request. */
    private static void waitForProbe(ControlApi api, String kind, String addr, String before) throws Exception {
        for (int i = 0; i < 120; i++) {
            String latest = latestProbe(api, kind, addr);
            if (!latest.isEmpty() && !latest.equals(before)) return;
            Thread.sleep(500);
        }
    }

    private static String latestProbe(ControlApi api, String kind, String addr) throws Exception {
        return api.call("GET", "/api/verification/probes?limit=1&kind=" + kind + param("address", addr), null)
                .path("probes").path(0).path("id").asText("");
    }
}
