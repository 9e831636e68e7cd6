package greyrelay.relay.cli;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.db.whitelist.WhitelistFile;
import greyrelay.relay.Relay;
import greyrelay.relay.config.Durations;
import greyrelay.relay.config.RelayConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay whitelist import FILE} and {@code greyrelay whitelist list}: whitelist entries in the database,
 * with the relay's configuration ({@code --config FILE} or {@code $GREYRELAY_CONFIG}).
 *
 * <p>When a relay runs with this data directory both go through its admin API ({@link ControlApi}, the control
 * token): the embedded H2 file belongs to that process, and the relay applies an import at once. Otherwise the
 * database is opened directly; every node picks the change up within {@code greylist.whitelistRefresh}.
 */
@Command(name = "whitelist", mixinStandardHelpOptions = true, description = "Whitelist entries in the database.",
        subcommands = {WhitelistCommand.Import.class, WhitelistCommand.ListEntries.class})
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
            Optional<ControlApi> api = ControlApi.ifRunning(c);
            if (api.isPresent()) return viaRelay(api.get(), t, out, err);
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

        /** The file, checked here already, sent to the running relay, which parses it again and applies it at once. */
        private int viaRelay(ControlApi api, WhitelistFile.Type t, PrintWriter out, PrintWriter err) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String query = "/api/whitelists/import?type=" + t.name().toLowerCase(Locale.ROOT) + "&replace=" + !keep + "&name="
                        + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8);
                ControlApi.Answer r = api.send("POST", query, "text/plain; charset=utf-8", text);
                if (r.status() != 200) {
                    r.body().path("problems").forEach(p -> err.println("greyrelay: " + p.asText()));
                    err.println("greyrelay: " + r.error());
                    return 1;
                }
                out.println("imported " + r.body().path("entries").asInt() + " " + r.body().path("type").asText() + " entries from " + file
                        + " (" + r.body().path("added").asInt() + " new) through the running relay at " + api.base());
                out.println("the relay applies them at once; other nodes within greylist.whitelistRefresh");
                return 0;
            } catch (IOException e) {
                err.println("greyrelay: cannot read " + file + ": " + e.getMessage());
                return 1;
            } catch (ControlApi.Failure f) {
                err.println("greyrelay: " + f.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the whitelist entries in the database.")
    static final class ListEntries implements Callable<Integer> {
        @ParentCommand
        WhitelistCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            RelayConfig c = config.load(parent.main.env());
            Optional<ControlApi> api = ControlApi.ifRunning(c);
            if (api.isPresent()) return viaRelay(api.get(), out, spec.commandLine().getErr());
            Database database = open(c, spec.commandLine().getErr());
            if (database == null) return 1;
            try (database) {
                out.println("id\tkind\tvalue\tsource\tnote");
                for (WhitelistEntry e : new WhitelistStore(database).all()) {
                    out.println(e.id() + "\t" + e.kind() + "\t" + e.value() + "\t" + e.source() + "\t" + (e.note() == null ? "" : e.note()));
                }
                return 0;
            }
        }

        /** Every entry, page by page, from the running relay (the same columns; the API names kinds in lower case). */
        private static int viaRelay(ControlApi api, PrintWriter out, PrintWriter err) {
            try {
                java.util.List<String> lines = new java.util.ArrayList<>();
                int offset = 0;
                boolean more;
                do {
                    ControlApi.Answer r = api.json("GET", "/api/whitelists?limit=500&offset=" + offset, null);
                    if (r.status() != 200) {
                        err.println("greyrelay: " + r.error());
                        return 1;
                    }
                    for (var e : r.body().path("entries")) {
                        lines.add(e.path("id").asLong() + "\t" + e.path("kind").asText().toUpperCase(Locale.ROOT) + "\t" + e.path("value").asText()
                                + "\t" + e.path("source").asText() + "\t" + (e.path("note").isNull() ? "" : e.path("note").asText("")));
                    }
                    more = r.body().path("more").asBoolean();
                    offset += 500;
                } while (more);
                out.println("id\tkind\tvalue\tsource\tnote");
                java.util.Collections.reverse(lines); // the API lists newest first; the command, like the store, oldest first
                lines.forEach(out::println);
                return 0;
            } catch (ControlApi.Failure f) {
                err.println("greyrelay: " + f.getMessage());
                return 1;
            }
        }
    }
}
