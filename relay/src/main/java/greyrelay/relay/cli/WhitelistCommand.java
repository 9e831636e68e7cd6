package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.db.whitelist.WhitelistFile;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code greyrelay whitelist import FILE}: whitelist entries into the database, with the relay's configuration
 * ({@code --config FILE} or {@code $GREYRELAY_CONFIG}). The other subcommands ({@code list}, {@code add},
 * {@code delete}, {@code export}) are {@link WhitelistEdits}.
 *
 * <p>All of them go through {@link ControlApi}: the running relay's API when one runs with this data directory (the
 * embedded H2 file belongs to that process, and the relay applies an import at once), else the same API served by
 * this process on the database; other nodes pick the change up within {@code greylist.whitelistRefresh}.
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
            try (ControlApi api = ControlApi.open(c)) {
                return send(api, t, c, out, err);
            } catch (ControlApi.Failure f) {
                err.println("greyrelay: " + f.getMessage());
                return 1;
            }
        }

        /** The file, checked here already, sent to the API, which parses it again (a running relay applies it at once). */
        private int send(ControlApi api, WhitelistFile.Type t, RelayConfig c, PrintWriter out, PrintWriter err) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                String query = "/api/whitelists/import?type=" + t.name().toLowerCase(Locale.ROOT) + "&replace=" + !keep + "&name="
                        + URLEncoder.encode(file.getFileName().toString(), StandardCharsets.UTF_8);
                JsonNode r;
                try {
                    r = api.request("POST", query, "text/plain; charset=utf-8", text);
                } catch (ControlApi.Refused refused) {
                    refused.body.path("problems").forEach(p -> err.println("greyrelay: " + p.asText()));
                    err.println("greyrelay: " + (refused.status == 401 || refused.status == 403
                            ? "the relay refused the control token (was it restarted with another dataDir?)" : refused.getMessage()));
                    return 1;
                }
                out.println("imported " + r.path("entries").asInt() + " " + r.path("type").asText() + " entries from " + file
                        + " (" + r.path("added").asInt() + " new) " + (api.isRelay() ? "through " : "into ") + api.where());
                out.println(api.isRelay() ? "the relay applies them at once; other nodes within greylist.whitelistRefresh"
                        : "a running relay applies them within greylist.whitelistRefresh ("
                                + Durations.format(c.greylist().whitelistRefresh()) + ")");
                return 0;
            } catch (IOException e) {
                err.println("greyrelay: cannot read " + file + ": " + e.getMessage());
                return 1;
            } catch (ControlApi.Failure f) {
                err.println("greyrelay: " + f.getMessage());
                return 1;
            } catch (Exception e) {
                err.println("greyrelay: " + e.getMessage());
                return 1;
            }
        }
    }
}
