package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
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
 * {@code greyrelay admin-user add|passwd|role|delete|list}: the admin panel's users, in the database the configuration
 * names (the panel's own store and rules: Argon2id, lower-case names, never the last user, never the last admin). A
 * user is {@code admin} (everything; the default) or {@code viewer} (reads every page, changes nothing). Every change is audited as
 * {@code cli:<os user>}. Through {@link ControlApi}: the running relay's API when one runs with this data directory (so
 * it works while the relay holds the embedded H2 file), else the same API served by this process on the database.
 */
@Command(name = "admin-user", description = "Manage the admin panel's users.", mixinStandardHelpOptions = true,
        subcommands = {AdminUserCommand.Add.class, AdminUserCommand.Passwd.class, AdminUserCommand.Role.class, AdminUserCommand.Delete.class,
                AdminUserCommand.ListUsers.class})
public final class AdminUserCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 2;
    }

    /** Options every subcommand takes. */
    static class Common {
        @ParentCommand
        AdminUserCommand parent;

        @Mixin
        ConfigOption config;

        @Spec
        CommandLine.Model.CommandSpec spec;

        /** Through the control API (the running relay, or this process on the database). */
        int via(ControlApi.Call remote) {
            return ControlApi.with(config.load(parent.main.env()), remote);
        }

        /** What the API answered to a change: the done message, or its error in one line. */
        static int reportRemote(ControlApi.Answer a, String done) {
            if (a.status() / 100 == 2) {
                System.out.println(done);
                return 0;
            }
            return fail(a.status() == 404 ? "no such user" : a.error());
        }

        static boolean exists(ControlApi api, String name) throws Exception {
            JsonNode users = api.call("GET", "/api/users", null);
            for (JsonNode u : users.path("users")) {
                if (u.path("username").asText().equals(name.toLowerCase(Locale.ROOT))) return true;
            }
            return false;
        }

        /** A name as one path segment. */
        static String path(String name) {
            return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        }

        static int fail(String message) {
            System.err.println("greyrelay: " + message);
            return 1;
        }
    }

    @Command(name = "add", description = "Add a user (asks for the password twice, or reads it from standard input).")
    static final class Add extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "user name: a-z 0-9 . _ @ -")
        String name;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean stdin;

        @Option(names = "--role", paramLabel = "admin|viewer", defaultValue = "admin",
                description = "admin: everything (default); viewer: reads every page, changes nothing")
        String role;

        @Override
        public Integer call() {
            String password = Passwords.read(spec, name, stdin);
            return via(api -> reportRemote(api.answer("POST", "/api/users", Map.of("username", name, "password", password, "role", role)),
                    "user " + name.toLowerCase(Locale.ROOT) + " added (" + role.strip().toLowerCase(Locale.ROOT) + ")"));
        }
    }

    @Command(name = "role", description = "Make a user admin or viewer (the last admin stays admin).")
    static final class Role extends Common implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ROLE", description = "admin or viewer")
        String role;

        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.answer("PUT", "/api/users/" + path(name) + "/role", Map.of("role", role));
                return r.status() == 404 ? fail("no such user: " + name)
                        : reportRemote(r, "user " + name.toLowerCase(Locale.ROOT) + " is now " + role.strip().toLowerCase(Locale.ROOT));
            });
        }
    }

    @Command(name = "passwd", description = "Set a user's password (their panel sessions end).")
    static final class Passwd extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "read the password from the first line of standard input")
        boolean stdin;

        @Override
        public Integer call() {
            return via(api -> {
                if (!exists(api, name)) return fail("no such user: " + name);
                return reportRemote(api.answer("PUT", "/api/users/" + path(name) + "/password",
                        Map.of("password", Passwords.read(spec, name, stdin))), "password of " + name + " changed");
            });
        }
    }

    @Command(name = "delete", description = "Delete a user (never the last one).")
    static final class Delete extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return via(api -> {
                ControlApi.Answer r = api.answer("DELETE", "/api/users/" + path(name), null);
                return r.status() == 404 ? fail("no such user: " + name) : reportRemote(r, "user " + name + " deleted");
            });
        }
    }

    @Command(name = "list", description = "List the users.")
    static final class ListUsers extends Common implements Callable<Integer> {
        @picocli.CommandLine.Option(names = "--json", description = "print the users as JSON")
        boolean json;

        @Override
        public Integer call() {
            return via(api -> {
                JsonNode r = api.call("GET", "/api/users", null);
                if (json) {
                    ApiCommand.printJson(r);
                    return 0;
                }
                System.out.println("user\trole\tcreated\tpassword changed\tlast login");
                for (JsonNode u : r.path("users")) {
                    System.out.println(u.path("username").asText() + "\t" + u.path("role").asText() + "\t" + u.path("createdAt").asText() + "\t"
                            + u.path("passwordChangedAt").asText() + "\t" + (u.path("lastLoginAt").isNull() ? "-" : u.path("lastLoginAt").asText("-")));
                }
                return 0;
            });
        }
    }
}
