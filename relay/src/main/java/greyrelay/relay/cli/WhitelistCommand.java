package greyrelay.relay.cli;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.db.whitelist.WhitelistFile;
import greyrelay.relay.Relay;
import greyrelay.relay.config.Durations;
import greyrelay.relay.config.RelayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay whitelist import FILE}: whitelist entries into the database, opened directly with the relay's
 * configuration ({@code --config FILE} or {@code $GREYRELAY_CONFIG}). The other subcommands ({@code list}, {@code add},
 * {@code delete}, {@code export}) are {@link WhitelistEdits}, through the control API.
 *
 * <p>With the embedded H2 database the relay must not be running: the H2 file belongs to one process, and a second
 * one gets "Database may be already in use" (then use the admin panel, or stop the relay, import, start it). With
 * PostgreSQL the relay may run; every node picks the change up within {@code greylist.whitelistRefresh}.
 */
@Command(name = "whitelist", mixinStandardHelpOptions = true, description = "Whitelist entries in the database.",
        subcommands = {WhitelistCommand.Import.class, WhitelistEdits.ListEntries.class, WhitelistEdits.Add.class, WhitelistEdits.Delete.class,
                WhitelistEdits.Export.class})
public final class WhitelistCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** The database the configuration names, or null after saying why on {@code err}. */
    static Database open(RelayConfig c, PrintWriter err) {
        try {
            return Database.open(Relay.settings(c));
        } catch (DatabaseException e) {
            err.println("greyrelay: " + e.getMessage());
            if (c.database().url().isEmpty() && e.getMessage().contains("already in use")) {
                err.println("greyrelay: the H2 database belongs to the running relay: stop it first, or use the admin panel");
            }
            return null;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import a whitelist file in postgrey's format (whitelist_clients, whitelist_recipients) into the database.",
                    "A new import of the same file name replaces its previous import. A file with any bad line imports nothing."})
    static final class Import implements Callable<Integer> {
        @ParentCommand
        WhitelistCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the whitelist file")
        Path file;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "clients, recipients or senders (default: recipients/senders when the file name says so, else clients)")
        String type;

        @Option(names = "--keep", description = "add to the entries of an earlier import of this file instead of replacing them")
        boolean keep;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WhitelistFile.Type t;
            try {
                t = type == null ? WhitelistFile.Type.guess(file) : WhitelistFile.Type.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println("greyrelay: --type must be clients, recipients or senders, got " + type);
                return 2;
            }
            RelayConfig c = config.load(parent.main.env());
            String source = "import:" + file.getFileName();
            WhitelistFile.Parsed parsed;
            try {
                parsed = WhitelistFile.read(file, t, source, Clock.systemUTC().instant());
            } catch (IOException e) {
                err.println("greyrelay: cannot read " + file + ": " + e.getMessage());
                return 1;
            }
            if (!parsed.ok()) {
                parsed.problems().forEach(p -> err.println("greyrelay: " + p));
                err.println("greyrelay: nothing imported (" + parsed.problems().size() + " bad line(s))");
                return 2;
            }
            Database database = open(c, err);
            if (database == null) return 1;
            try (database) {
                int added = new WhitelistStore(database).addAll(parsed.entries(), keep ? null : source);
                out.println("imported " + parsed.entries().size() + " " + t.name().toLowerCase(Locale.ROOT) + " entries from " + file
                        + " (" + added + " new) into " + database);
                out.println("a running relay applies them within greylist.whitelistRefresh ("
                        + Durations.format(c.greylist().whitelistRefresh()) + ")");
                return 0;
            } catch (DatabaseException e) {
                err.println("greyrelay: " + e.getMessage());
                return 1;
            }
        }
    }
}
