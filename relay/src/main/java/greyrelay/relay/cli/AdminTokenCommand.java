package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay admin-token create|list|revoke}: API tokens for the panel's JSON API ({@code Authorization: Bearer}).
 * {@code create} prints the token once, on standard output; only its SHA-256 is stored. Through {@link ControlApi}: the
 * running relay's API when one runs with this data directory, else the same API served by this process on the database.
 */
@Command(name = "admin-token", description = "Manage API tokens for the admin JSON API.", mixinStandardHelpOptions = true,
        subcommands = {AdminTokenCommand.Create.class, AdminTokenCommand.ListTokens.class, AdminTokenCommand.Revoke.class})
public final class AdminTokenCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }

    static class Common {
        @ParentCommand
        AdminTokenCommand parent;

        @Mixin
        ConfigOption config;

        /** Through the control API (the running relay, or this process on the database). */
        int via(ControlApi.Call remote) {
            return ControlApi.with(config.load(parent.main.env()), remote);
        }
    }

    @Command(name = "create", description = "Create a token and print it (shown only now).")
    static final class Create extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "what the token is for: A-Z a-z 0-9 . _ -")
        String name;

        @picocli.CommandLine.Option(names = "--role", paramLabel = "admin|viewer", defaultValue = "admin",
                description = "admin: every call (default); viewer: reads only, every change answers 403")
        String role;

        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.answer("POST", "/api/tokens", Map.of("name", name, "role", role));
                if (r.status() / 100 != 2) return AdminUserCommand.Common.fail(r.error());
                System.err.println("token " + r.body().path("name").asText() + " (" + r.body().path("role").asText() + ") created; it is shown only now:");
                System.out.println(r.body().path("secret").asText());
                return 0;
            });
        }
    }

    @Command(name = "list", description = "List the tokens (names and use, never the secrets).")
    static final class ListTokens extends Common implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--json", description = "print the tokens as JSON (names and use, never the secrets)")
        boolean json;

        @Override
        public Integer call() {
            return via(api -> {
                JsonNode r = api.call("GET", "/api/tokens", null);
                if (json) {
                    ApiCommand.printJson(r);
                    return 0;
                }
                System.out.println("token\trole\tcreated by\tcreated\tlast used");
                for (JsonNode k : r.path("tokens")) {
                    System.out.println(k.path("name").asText() + "\t" + k.path("role").asText() + "\t" + k.path("createdBy").asText() + "\t" + k.path("createdAt").asText()
                            + "\t" + (k.path("lastUsedAt").isNull() ? "-" : k.path("lastUsedAt").asText("-")));
                }
                return 0;
            });
        }
    }

    @Command(name = "revoke", description = "Revoke a token.")
    static final class Revoke extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.answer("DELETE", "/api/tokens/" + AdminUserCommand.Common.path(name), null);
                if (r.status() == 404) return AdminUserCommand.Common.fail("no such token: " + name);
                if (r.status() != 200) return AdminUserCommand.Common.fail(r.error());
                System.out.println("token " + name + " revoked");
                return 0;
            });
        }
    }
}
