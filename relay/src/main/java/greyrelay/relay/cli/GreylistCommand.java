package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code greyrelay greylist list|pass|delete}: the greylist's triplets, searched by client (address, network or
 * {@code spf:domain}), sender and recipient, as on the panel's Greylist page ({@code /api/greylist}). {@code pass}
 * and {@code delete} act on one triplet by id or on every triplet the search finds.
 */
@Command(name = "greylist", description = "Greylist triplets: list, pass now, delete.",
        subcommands = {GreylistCommand.ListTriplets.class, GreylistCommand.Pass.class, GreylistCommand.Delete.class})
final class GreylistCommand extends Group {

    /** The search the panel offers. */
    static final class Search {
        @Option(names = "--client", paramLabel = "IP|NET|spf:DOMAIN", description = "the client's address, network or spf:domain")
        String client;

        @Option(names = "--sender", paramLabel = "ADDR", description = "this sender exactly (<> for the null sender)")
        String sender;

        @Option(names = "--recipient", paramLabel = "ADDR", description = "this recipient exactly")
        String recipient;

        @Option(names = "--state", paramLabel = "STATE", description = "greylisted, passed or expired")
        String state;

        boolean any() {
            return client != null || sender != null || recipient != null || state != null;
        }

        /** Every matching triplet, all pages. */
        List<JsonNode> all(ControlApi api) throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (int offset = 0; ; offset += 500) {
                JsonNode page = api.call("GET", "/api/greylist?limit=500&offset=" + offset + ApiCommand.param("client", client)
                        + ApiCommand.param("sender", sender) + ApiCommand.param("recipient", recipient) + ApiCommand.param("state", state), null);
                page.path("triplets").forEach(out::add);
                if (!page.path("more").asBoolean()) return out;
            }
        }
    }

    static void print(JsonNode t) {
        System.out.printf("%-7s %-10s %-28s <%s> -> <%s>  first %s, last %s, %s attempt(s)%n", t.path("id").asText(), t.path("state").asText(),
                t.path("client").asText(), t.path("sender").asText(), t.path("recipient").asText(), ApiCommand.text(t.path("firstSeen")),
                ApiCommand.text(t.path("lastSeen")), ApiCommand.text(t.path("attempts")));
    }

    @Command(name = "list", description = "Triplets matching the search, newest first.")
    static final class ListTriplets extends ApiCommand {
        @ArgGroup(exclusive = false)
        Search search = new Search();

        @Option(names = "--json", description = "print the triplets as JSON")
        boolean json;

        @Override
        int run(ControlApi api) throws Exception {
            List<JsonNode> all = search.all(api);
            if (json) {
                printJson(ControlApi.JSON.createObjectNode().set("triplets", ControlApi.JSON.valueToTree(all)));
                return 0;
            }
            all.forEach(GreylistCommand::print);
            System.out.println("-- " + all.size() + " triplet(s)");
            return 0;
        }
    }

    /** pass and delete: one id, or everything a search finds. */
    abstract static class Act extends ApiCommand {
        @Parameters(paramLabel = "ID", arity = "0..1", description = "the triplet's id (greylist list shows it)")
        Long id;

        @ArgGroup(exclusive = false)
        Search search = new Search();

        abstract JsonNode act(ControlApi api, long id) throws Exception;

        abstract String done();

        @Override
        int run(ControlApi api) throws Exception {
            if ((id == null) == !search.any()) throw usage("give a triplet ID or a search (--client, --sender, --recipient, --state)");
            List<Long> ids = new ArrayList<>();
            if (id != null) {
                ids.add(id);
            } else {
                for (JsonNode t : search.all(api)) ids.add(t.path("id").asLong());
            }
            for (long i : ids) {
                act(api, i);
                System.out.println(i + ": " + done());
            }
            System.out.println("-- " + ids.size() + " triplet(s) " + done());
            return 0;
        }
    }

    @Command(name = "pass", description = "Let triplets pass now (the sender's next retry is accepted).")
    static final class Pass extends Act {
        @Override
        JsonNode act(ControlApi api, long id) throws Exception {
            return api.call("POST", "/api/greylist/" + id + "/pass", null);
        }

        @Override
        String done() {
            return "passed";
        }
    }

    @Command(name = "delete", description = "Forget triplets (the next attempt is greylisted again).")
    static final class Delete extends Act {
        @Override
        JsonNode act(ControlApi api, long id) throws Exception {
            return api.call("DELETE", "/api/greylist/" + id, null);
        }

        @Override
        String done() {
            return "deleted";
        }
    }
}
