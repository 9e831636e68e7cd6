package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.auth.ApiTokenService;
import greyrelay.db.Database;
import greyrelay.db.admin.ApiToken;
import greyrelay.relay.config.RelayConfig;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay admin-token create|list|revoke}: API tokens for the panel's JSON API ({@code Authorization: Bearer}).
 * {@code create} prints the token once, on standard output; only its SHA-256 is stored. Through the running relay's
 * admin API when one runs with this data directory ({@link ControlApi}), else on the database directly.
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

        /** Through the running relay when one answers (so it works while it holds the H2 file), else on the database. */
        int via(Function<ControlApi, Integer> remote, Function<ApiTokenService, Integer> local) {
            RelayConfig c = config.load(parent.main.env());
            Optional<ControlApi> api = ControlApi.ifRunning(c);
            if (api.isPresent()) {
                try {
                    return remote.apply(api.get());
                } catch (ControlApi.Failure f) {
                    return AdminUserCommand.Common.fail(f.getMessage());
                }
            }
            try (Database db = Databases.open(c)) {
                return local.apply(ApiTokenService.open(db, Clock.systemUTC(), c.nodeName()));
            }
        }
    }

    @Command(name = "create", description = "Create a token and print it (shown only now).")
    static final class Create extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "what the token is for: A-Z a-z 0-9 . _ -")
        String name;

        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.json("POST", "/api/tokens", Map.of("name", name));
                if (r.status() != 201) return AdminUserCommand.Common.fail(r.error());
                System.err.println("token " + r.body().path("name").asText() + " created; it is shown only now:");
                System.out.println(r.body().path("secret").asText());
                return 0;
            }, t -> switch (t.create(name, Actor.cli())) {
                case ApiTokenService.Created.Done d -> {
                    System.err.println("token " + d.token().name() + " created; it is shown only now:");
                    System.out.println(d.secret());
                    yield 0;
                }
                case ApiTokenService.Created.Invalid i -> AdminUserCommand.Common.fail(i.field() + ": " + i.message());
            });
        }
    }

    @Command(name = "list", description = "List the tokens (names and use, never the secrets).")
    static final class ListTokens extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.json("GET", "/api/tokens", null);
                if (r.status() != 200) return AdminUserCommand.Common.fail(r.error());
                System.out.println("token\tcreated by\tcreated\tlast used");
                for (JsonNode k : r.body().path("tokens")) {
                    System.out.println(k.path("name").asText() + "\t" + k.path("createdBy").asText() + "\t" + k.path("createdAt").asText()
                            + "\t" + (k.path("lastUsedAt").isNull() ? "-" : k.path("lastUsedAt").asText("-")));
                }
                return 0;
            }, t -> {
                System.out.println("token\tcreated by\tcreated\tlast used");
                for (ApiToken k : t.list()) {
                    System.out.println(k.name() + "\t" + k.createdBy() + "\t" + k.createdAt() + "\t" + (k.lastUsedAt() == null ? "-" : k.lastUsedAt()));
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
                ControlApi.Answer r = api.json("DELETE", "/api/tokens/" + AdminUserCommand.Common.path(name), null);
                if (r.status() == 404) return AdminUserCommand.Common.fail("no such token: " + name);
                if (r.status() != 200) return AdminUserCommand.Common.fail(r.error());
                System.out.println("token " + name + " revoked");
                return 0;
            }, t -> {
                if (!t.revoke(name, Actor.cli())) return AdminUserCommand.Common.fail("no such token: " + name);
                System.out.println("token " + name + " revoked");
                return 0;
            });
        }
    }
}
