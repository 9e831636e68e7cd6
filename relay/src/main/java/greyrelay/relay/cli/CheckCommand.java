package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code greyrelay check --client IP [--helo NAME] --from ADDR --to ADDR [--size N] [--probe] [--json]}: a dry run of the
 * whole check table on the relay's current state ({@code POST /api/decisions/check}): every check with its verdict
 * and why, and the reply the client would get, in the decision log's words. Nothing is written; verification answers
 * from its cache unless {@code --probe} (a real probe, which needs the running relay). Exit 0 whatever the verdict.
 */
@Command(name = "check", description = {"Dry run: what the relay would answer this client's mail now, check by check, and why.",
        "Nothing is written (no triplet, no token taken, no decision-log row, no spamtrap block); verification answers",
        "from its cache unless --probe."})
final class CheckCommand extends ApiCommand {
    @Option(names = "--client", required = true, paramLabel = "IP", description = "the client's IP address")
    String client;

    @Option(names = "--helo", paramLabel = "NAME", description = "the name the client gives in HELO/EHLO")
    String helo;

    @Option(names = "--from", required = true, paramLabel = "ADDR", description = "MAIL FROM; \"\" or \"<>\" for the null sender")
    String from;

    @Option(names = "--to", required = true, paramLabel = "ADDR", description = "RCPT TO")
    String to;

    @Option(names = "--size", paramLabel = "N", description = "the message size in bytes (SIZE= and at the end of DATA)")
    Long size;

    @Option(names = "--probe", description = "let callback verification probe what its cache does not know (a real probe; needs the running relay)")
    boolean probe;

    @Option(names = "--json", description = "print the answer as JSON")
    boolean json;

    @Override
    int run(ControlApi api) throws Exception {
        if (size != null && size < 0) throw usage("--size must not be negative");
        if (probe && !api.isRelay()) throw new ControlApi.Failure("--probe needs the running relay (its verifiers probe); none answers");
        ObjectNode body = ControlApi.JSON.createObjectNode().put("client", client).put("sender", from).put("recipient", to).put("probe", probe);
        if (helo != null) body.put("helo", helo);
        if (size != null) body.put("size", size);
        ControlApi.Answer a = api.answer("POST", "/api/decisions/check", body);
        if (a.status() == 400) throw usage(a.error());
        if (a.status() != 200) throw new ControlApi.Failure("the relay answered " + a.status() + ": " + a.error());
        JsonNode r = a.body();
        if (json) {
            printJson(r);
            return 0;
        }
        System.out.printf("dry run: client [%s] helo=<%s> from=<%s> to=<%s>%s on %s%n", client, helo == null ? "" : helo,
                from.replaceAll("^<|>$", ""), to.replaceAll("^<|>$", ""), size == null ? "" : " size=" + size, api.where());
        for (JsonNode s : r.path("steps")) {
            String outcome = s.path("outcome").isNull() ? "passed" : s.path("outcome").asText().toLowerCase(Locale.ROOT);
            if (s.path("observe").asBoolean() && !s.path("outcome").isNull()) outcome = "observe: would be " + outcome;
            String reply = s.path("replyCode").isNull() ? "" : s.path("replyCode").asInt() + " " + s.path("replyText").asText() + "  ";
            String reason = s.path("reason").isNull() ? "" : s.path("reason").asText();
            System.out.printf("  %-7s %-24s %-12s %s%s%n", s.path("phase").asText().toLowerCase(Locale.ROOT), s.path("checkName").asText(),
                    outcome, reply, reason).flush();
        }
        String by = r.path("checkName").isNull() ? "" : ", check " + r.path("checkName").asText();
        System.out.printf("Outcome: %s at %s%s%n", r.path("outcome").asText().toLowerCase(Locale.ROOT),
                r.path("phase").asText(), by);
        System.out.printf("Reply:   %d %s%n", r.path("replyCode").asInt(), r.path("replyText").asText());
        System.out.printf("Reason:  %s%n", r.path("reason").asText());
        return 0;
    }
}
