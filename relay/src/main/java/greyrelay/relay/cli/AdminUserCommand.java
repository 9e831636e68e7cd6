package greyrelay.relay.cli;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.auth.AdminAccounts;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminUser;
import greyrelay.relay.config.RelayConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay admin-user add|passwd|delete|list}: the admin panel's users, in the database the configuration
 * names (the panel's own store and rules: Argon2id, lower-case names, never the last user). Every change is audited as
 * {@code cli:<os user>}. With the embedded H2 database, stop the relay first (it holds the file).
 */
@Command(name = "admin-user", description = "Manage the admin panel's users.", mixinStandardHelpOptions = true,
        subcommands = {AdminUserCommand.Add.class, AdminUserCommand.Passwd.class, AdminUserCommand.Delete.class, AdminUserCommand.ListUsers.class})
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

        int withAccounts(Function<AdminAccounts, Integer> action) {
            RelayConfig c = config.load(parent.main.env());
            try (Database db = Databases.open(c)) {
                return action.apply(AdminAccounts.open(db, Clock.systemUTC(), c.nodeName()));
            }
        }

        static int report(AdminAccounts.Result r, String done) {
            return switch (r) {
                case AdminAccounts.Result.Done d -> {
                    System.out.println(done.formatted(d.username()));
                    yield 0;
                }
                case AdminAccounts.Result.Invalid i -> fail(i.field() + ": " + i.message());
                case AdminAccounts.Result.NotFound n -> fail("no such user: " + n.username());
                case AdminAccounts.Result.Conflict c -> fail(c.message());
            };
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

        @Override
        public Integer call() {
            return withAccounts(a -> report(a.add(name, Passwords.read(spec, name, stdin), Actor.cli()), "user %s added"));
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
            return withAccounts(a -> a.find(name).isEmpty() ? fail("no such user: " + name)
                    : report(a.changePassword(name, Passwords.read(spec, name, stdin), Actor.cli()), "password of %s changed"));
        }
    }

    @Command(name = "delete", description = "Delete a user (never the last one).")
    static final class Delete extends Common implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return withAccounts(a -> report(a.delete(name, Actor.cli()), "user %s deleted"));
        }
    }

    @Command(name = "list", description = "List the users.")
    static final class ListUsers extends Common implements Callable<Integer> {
        @Override
        public Integer call() {
            return withAccounts(a -> {
                System.out.println("user\tcreated\tpassword changed\tlast login");
                for (AdminUser u : a.list()) {
                    System.out.println(u.username() + "\t" + u.createdAt() + "\t" + u.passwordChangedAt() + "\t"
                            + (u.lastLoginAt() == null ? "-" : u.lastLoginAt()));
                }
                return 0;
            });
        }
    }
}
