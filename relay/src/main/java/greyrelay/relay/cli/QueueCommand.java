package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.relay.config.RelayConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay queue list|show|retry|delete|bounce}: the running relay's queue, like Postfix's postqueue. The queue
 * lives in the relay process (an index over the spool), so the CLI asks that process through the admin API on this
 * host, authenticated with the control token the relay writes to {@code <dataDir>/control.token} at each start.
 */
@Command(name = "queue", description = "Show and act on the running relay's queue.", mixinStandardHelpOptions = true,
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.Show.class, QueueCommand.Retry.class, QueueCommand.Delete.class,
                QueueCommand.Bounce.class})
public final class QueueCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }

    static final com.fasterxml.jackson.databind.ObjectMapper JSON = ControlApi.JSON;

    abstract static class Common implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Mixin
        ConfigOption config;

        @Override
        public final Integer call() throws Exception {
            RelayConfig c = config.load(parent.main.env());
            try {
                return run(new Api(c));
            } catch (ControlApi.Failure f) {
                System.err.println("greyrelay: " + f.getMessage());
                return 1;
            }
        }

        abstract int run(Api api) throws Exception;
    }

    /** The local admin API with the control token, answers mapped to what they mean for a queued message. */
    static final class Api {
        private final ControlApi api;

        Api(RelayConfig c) {
            this.api = ControlApi.require(c, "the queue commands");
        }

        JsonNode call(String method, String path, String jsonBody) throws Exception {
            ControlApi.Answer a = api.send(method, path, "application/json", jsonBody);
            return switch (a.status()) {
                case 200 -> a.body();
                case 404 -> throw new ControlApi.Failure("no such message in the queue");
                case 409 -> throw new ControlApi.Failure("the message is being delivered right now; try again in a moment");
                default -> throw new ControlApi.Failure("the relay answered " + a.status() + ": " + a.body().path("error").asText(a.body().toString()));
            };
        }
    }

    static String id(String raw) {
        if (!raw.matches("[0-9A-Za-z]{8,24}")) throw new ControlApi.Failure("not a queue id: " + raw);
        return raw.toUpperCase(java.util.Locale.ROOT);
    }

    @Command(name = "list", description = "Every queued message with its attempts, next attempt and last error.")
    static final class ListMessages extends Common {
        @Option(names = "--search", paramLabel = "TEXT", description = "only messages whose id, sender or a recipient contains TEXT")
        String search;

        @Override
        int run(Api api) throws Exception {
            int offset = 0;
            int shown = 0;
            long total;
            do {
                String q = "/api/queue?limit=500&offset=" + offset + (search == null ? "" : "&q=" + URLEncoder.encode(search, StandardCharsets.UTF_8));
                JsonNode page = api.call("GET", q, null);
                total = page.path("total").asLong();
                for (JsonNode m : page.path("messages")) {
                    print(m);
                    shown++;
                }
                offset += 500;
            } while (shown < total && offset < total);
            System.out.println(total == 0 ? "queue is empty" : "-- " + total + " message(s)");
            return 0;
        }

        static void print(JsonNode m) {
            String sender = m.path("sender").asText();
            System.out.printf("%-16s %8d %s  <%s>%s%n", m.path("id").asText(), m.path("size").asLong(), m.path("receivedAt").asText(),
                    sender, m.path("kind").asText().equals("dsn") ? "  (bounce)" : "");
            System.out.printf("    attempts %d, next %s%s%n", m.path("attempts").asInt(), m.path("nextAttempt").asText(),
                    m.path("lastError").isNull() || m.path("lastError").isMissingNode() ? "" : ", last error: " + m.path("lastError").asText());
            for (JsonNode r : m.path("recipients")) {
                System.out.printf("    %-9s <%s>%s%n", r.path("status").asText(), r.path("address").asText(),
                        r.path("lastReply").isNull() || r.path("lastReply").isMissingNode() ? "" : "  " + r.path("lastReply").asText());
            }
        }
    }

    @Command(name = "show", description = "One message: its state and the headers it will be delivered with.")
    static final class Show extends Common {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        int run(Api api) throws Exception {
            String qid = id(id);
            ListMessages.print(api.call("GET", "/api/queue/" + qid, null));
            System.out.println();
            System.out.print(api.call("GET", "/api/queue/" + qid + "/headers", null).path("headers").asText());
            return 0;
        }
    }

    @Command(name = "retry", description = "Try a message again now.")
    static final class Retry extends Common {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        int run(Api api) throws Exception {
            api.call("POST", "/api/queue/" + id(id) + "/retry", null);
            System.out.println(id(id) + ": will be tried again now");
            return 0;
        }
    }

    @Command(name = "delete", description = "Remove a message without telling the sender.")
    static final class Delete extends Common {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        int run(Api api) throws Exception {
            api.call("DELETE", "/api/queue/" + id(id), null);
            System.out.println(id(id) + ": deleted");
            return 0;
        }
    }

    @Command(name = "bounce", description = "Return a message to its sender (a DSN) and remove it.")
    static final class Bounce extends Common {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT", description = "told to the sender")
        String reason;

        @Override
        int run(Api api) throws Exception {
            api.call("POST", "/api/queue/" + id(id) + "/bounce", JSON.writeValueAsString(Map.of("reason", reason == null ? "" : reason)));
            System.out.println(id(id) + ": returned to its sender");
            return 0;
        }
    }
}
