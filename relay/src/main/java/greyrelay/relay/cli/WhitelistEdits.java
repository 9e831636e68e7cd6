package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import greyrelay.db.whitelist.WhitelistKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code greyrelay whitelist add|delete|list|export}, through {@link ControlApi} ({@code /api/whitelists}): the running
 * relay applies an edit at once; with the relay stopped this process serves the API on the database. Kept apart from
 * {@link WhitelistCommand} (which holds {@code import}) so the two evolve without conflicts.
 */
final class WhitelistEdits {
    private WhitelistEdits() {}

    static String kinds() {
        List<String> k = new ArrayList<>();
        for (WhitelistKind w : WhitelistKind.values()) k.add(w.name().toLowerCase(Locale.ROOT));
        return String.join(", ", k);
    }

    @Command(name = "add", description = {"Add a whitelist entry of any kind the panel knows:",
            "client_address (IP or network), client_host (forward-confirmed name, domain or /regex/), sender, recipient, ..."})
    static final class Add extends ApiCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "client_address, client_host, sender, recipient, ...")
        String kind;

        @Parameters(index = "1", paramLabel = "VALUE", description = "what the entry matches")
        String value;

        @Option(names = "--note", paramLabel = "TEXT", description = "why it is there")
        String note;

        @Override
        int run(ControlApi api) throws Exception {
            String k = kind.toLowerCase(Locale.ROOT).replace('-', '_');
            try {
                WhitelistKind.valueOf(k.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw usage("KIND must be one of " + kinds() + ", got " + kind);
            }
            ObjectNode body = ControlApi.JSON.createObjectNode().put("kind", k).put("value", value);
            if (note != null) body.put("note", note);
            try {
                JsonNode e = api.request("POST", "/api/whitelists", body.toString());
                System.out.println("added entry " + e.path("id").asText() + ": " + e.path("kind").asText() + " " + e.path("value").asText());
                return 0;
            } catch (ControlApi.Refused r) {
                if (r.status == 400) throw usage(r.getMessage());
                throw new ControlApi.Failure(r.getMessage());
            }
        }
    }

    @Command(name = "delete", description = "Delete a whitelist entry by its id (whitelist list shows it).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID")
        long id;

        @Override
        int run(ControlApi api) throws Exception {
            api.call("DELETE", "/api/whitelists/" + id, null);
            System.out.println("deleted entry " + id);
            return 0;
        }
    }

    @Command(name = "list", description = "List the whitelist entries (every kind, or one).")
    static final class ListEntries extends ApiCommand {
        @Option(names = "--kind", paramLabel = "KIND", description = "only this kind")
        String kind;

        @Option(names = "--search", paramLabel = "TEXT", description = "only entries whose value or note contains TEXT")
        String search;

        @Option(names = "--json", description = "print the entries as JSON")
        boolean json;

        @Override
        int run(ControlApi api) throws Exception {
            List<JsonNode> all = new ArrayList<>();
            for (int offset = 0; ; offset += 500) {
                JsonNode page = api.call("GET", "/api/whitelists?limit=500&offset=" + offset
                        + param("kind", kind == null ? null : kind.toLowerCase(Locale.ROOT)) + param("q", search), null);
                page.path("entries").forEach(all::add);
                if (!page.path("more").asBoolean()) break;
            }
            if (json) {
                printJson(ControlApi.JSON.createObjectNode().set("entries", ControlApi.JSON.valueToTree(all)));
                return 0;
            }
            java.io.PrintWriter out = spec.commandLine().getOut(); // the table is what picocli callers capture
            out.println("id\tkind\tvalue\tsource\tnote");
            // the API lists newest first; the table, like the store and an imported file, oldest first
            for (JsonNode e : all.reversed()) {
                out.println(e.path("id").asText() + "\t" + e.path("kind").asText().toUpperCase(Locale.ROOT) + "\t"
                        + e.path("value").asText() + "\t" + e.path("source").asText() + "\t"
                        + (e.path("note").isNull() ? "" : e.path("note").asText()));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", description = {"Print the entries as a postgrey whitelist file (whitelist_clients, whitelist_recipients)",
            "that whitelist import reads back."})
    static final class Export extends ApiCommand {
        @Option(names = "--type", paramLabel = "TYPE", defaultValue = "clients", description = "clients, recipients or senders (default: ${DEFAULT-VALUE})")
        String type;

        @Override
        int run(ControlApi api) throws Exception {
            if (!List.of("clients", "recipients", "senders").contains(type)) throw usage("--type must be clients, recipients or senders");
            var r = api.raw("GET", "/api/whitelists/export?type=" + type, null);
            if (r.statusCode() != 200) throw new ControlApi.Failure("the relay answered " + r.statusCode() + ": " + r.body());
            System.out.print(r.body());
            return 0;
        }
    }
}
