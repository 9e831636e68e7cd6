package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code greyrelay queue list|show|retry|delete|bounce|flush}: the running relay's queue, like Postfix's postqueue. The
 * queue lives in the relay process (an index over the spool), so the CLI asks that process through its control API
 * ({@link ControlApi}: {@code <dataDir>/control.url} and {@code control.token}); with no relay running they fail.
 */
@Command(name = "queue", description = "Show and act on the running relay's queue.", mixinStandardHelpOptions = true,
        subcommands = {QueueCommand.ListMessages.class, QueueCommand.Show.class, QueueCommand.Retry.class, QueueCommand.Delete.class,
                QueueCommand.Bounce.class, QueueCommand.Flush.class})
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

    static final ObjectMapper JSON = ControlApi.JSON;

    abstract static class Common implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Mixin
        ConfigOption config;

        @Override
        public final Integer call() throws Exception {
            RelayConfig c = config.load(parent.main.env());
            try (ControlApi control = ControlApi.running(c).orElseThrow(() -> new ControlApi.Failure("no relay answers on "
                    + c.dataPath() + " (the queue lives in the running relay's process: start it first)"))) {
                return run(new Api(control));
            } catch (ControlApi.Failure f) {
                System.err.println("greyrelay: " + f.getMessage());
                return 1;
            }
        }

        abstract int run(Api api) throws Exception;
    }

    /** The running relay's queue API: 404 and 409 said the queue's way. */
    static final class Api {
        private final ControlApi control;

        Api(ControlApi control) {
            this.control = control;
        }

        JsonNode call(String method, String path, String jsonBody) throws Exception {
            try {
                return control.request(method, path, jsonBody);
            } catch (ControlApi.Refused r) {
                throw new ControlApi.Failure(switch (r.status) {
                    case 401, 403 -> "the relay refused the control token (was it restarted with another dataDir?)";
                    case 404 -> "no such message in the queue";
                    case 409 -> "the message is being delivered right now; try again in a moment";
                    default -> "the relay answered " + r.status + ": " + r.getMessage();
                });
            }
        }

        /** Every queued message (all pages), optionally those matching {@code search}. */
        java.util.List<JsonNode> all(String search) throws Exception {
            java.util.List<JsonNode> out = new java.util.ArrayList<>();
            int offset = 0;
            long total;
            do {
                JsonNode page = call("GET", "/api/queue?limit=500&offset=" + offset
                        + (search == null ? "" : "&q=" + URLEncoder.encode(search, StandardCharsets.UTF_8)), null);
                total = page.path("total").asLong();
                page.path("messages").forEach(out::add);
                offset += 500;
            } while (offset < total);
            return out;
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

        @Option(names = "--json", description = "print the messages as JSON")
        boolean json;

        @Override
        int run(Api api) throws Exception {
            var all = api.all(search);
            if (json) {
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.createObjectNode().put("total", all.size())
                        .set("messages", JSON.valueToTree(all))));
                return 0;
            }
            all.forEach(ListMessages::print);
            System.out.println(all.isEmpty() ? "queue is empty" : "-- " + all.size() + " message(s)");
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

    @Command(name = "delete", description = {"Remove a message without telling the sender.",
            "With --sender: every queued message from that address (not one being delivered right now)."})
    static final class Delete extends Common {
        @Parameters(paramLabel = "ID", arity = "0..1")
        String id;

        @Option(names = "--sender", paramLabel = "ADDR", description = "every message whose sender is ADDR (<> for bounces)")
        String sender;

        @Override
        int run(Api api) throws Exception {
            if ((id == null) == (sender == null)) throw new CommandLine.ParameterException(new CommandLine(this),
                    "give a queue ID or --sender ADDR");
            if (id != null) {
                api.call("DELETE", "/api/queue/" + id(id), null);
                System.out.println(id(id) + ": deleted");
                return 0;
            }
            String want = sender.equals("<>") ? "" : sender.replaceAll("^<|>$", "");
            int deleted = 0;
            int busy = 0;
            for (JsonNode m : api.all(want.isEmpty() ? null : want)) {
                if (!m.path("sender").asText().equalsIgnoreCase(want)) continue;
                try {
                    api.call("DELETE", "/api/queue/" + m.path("id").asText(), null);
                    System.out.println(m.path("id").asText() + ": deleted");
                    deleted++;
                } catch (ControlApi.Failure f) {
                    System.err.println("greyrelay: " + m.path("id").asText() + ": " + f.getMessage());
                    busy++;
                }
            }
            System.out.println("-- " + deleted + " message(s) from <" + want + "> deleted" + (busy > 0 ? ", " + busy + " left" : ""));
            return busy > 0 ? 1 : 0;
        }
    }

    @Command(name = "flush", description = "Try every queued message again now (postqueue -f).")
    static final class Flush extends Common {
        @Override
        int run(Api api) throws Exception {
            int n = 0;
            int busy = 0;
            for (JsonNode m : api.all(null)) {
                try {
                    api.call("POST", "/api/queue/" + m.path("id").asText() + "/retry", null);
                    n++;
                } catch (ControlApi.Failure f) {
                    busy++; // being delivered right now: that attempt is the retry
                }
            }
            System.out.println(n + " message(s) will be tried again now" + (busy > 0 ? " (" + busy + " being delivered already)" : ""));
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
