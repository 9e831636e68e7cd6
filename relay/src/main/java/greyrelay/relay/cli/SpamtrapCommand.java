package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code greyrelay spamtrap list|unblock}: the networks a spamtrap hit blocked ({@code /api/spamtraps}). */
@Command(name = "spamtrap", description = "Networks blocked by a spamtrap hit: list, unblock.",
        subcommands = {SpamtrapCommand.ListBlocks.class, SpamtrapCommand.Unblock.class})
final class SpamtrapCommand extends Group {
    @Command(name = "list", description = "The networks blocked now, with the trap, the client and when the block ends.")
    static final class ListBlocks extends ApiCommand {
        @Option(names = "--json", description = "print the blocks as JSON")
        boolean json;

        @Override
        int run(ControlApi api) throws Exception {
            List<JsonNode> all = new ArrayList<>();
            JsonNode first = null;
            for (int offset = 0; ; offset += 500) {
                JsonNode page = api.call("GET", "/api/spamtraps?limit=500&offset=" + offset, null);
                if (first == null) first = page;
                page.path("blocks").forEach(all::add);
                if (!page.path("more").asBoolean()) break;
            }
            if (json) {
                printJson(ControlApi.JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("traps", first.path("traps"))
                        .set("blocks", ControlApi.JSON.valueToTree(all)));
                return 0;
            }
            for (JsonNode b : all) {
                System.out.printf("%-24s until %s  trap <%s> hit by %s from <%s>, %d hit(s)%n", b.path("network").asText(),
                        text(b.path("expiresAt")), text(b.path("trap")), text(b.path("clientIp")), text(b.path("sender")), b.path("hits").asInt());
            }
            System.out.println("-- " + all.size() + " blocked network(s)");
            return 0;
        }
    }

    @Command(name = "unblock", description = "Lift a spamtrap block now.")
    static final class Unblock extends ApiCommand {
        @Parameters(paramLabel = "NETWORK", description = "the blocked network, as spamtrap list shows it (e.g. 192.0.2.0/24)")
        String network;

        @Override
        int run(ControlApi api) throws Exception {
            try {
                JsonNode r = api.request("POST", "/api/spamtraps/unblock", ControlApi.JSON.createObjectNode().put("network", network).toString());
                System.out.println(r.path("network").asText() + ": unblocked");
                return 0;
            } catch (ControlApi.Refused r) {
                if (r.status == 400) throw usage(r.getMessage());
                if (r.status == 404) throw new ControlApi.Failure(network + " is not blocked");
                throw new ControlApi.Failure("the relay answered " + r.status + ": " + r.getMessage());
            }
        }
    }
}
