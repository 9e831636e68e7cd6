package greyrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers {@code --help} with exit 0 and its usage; a listing has {@code --json}. */
class HelpTreeTest {
    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(path);
        for (var e : cl.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) continue; // aliases
            List<String> next = new ArrayList<>(path);
            next.add(e.getKey());
            walk(e.getValue(), next, out);
        }
    }

    @Test
    void every_command_answers_help() {
        List<List<String>> commands = new ArrayList<>();
        walk(Main.commandLine(Map.of()), new ArrayList<>(), commands);
        assertThat(commands.size()).isGreaterThan(30);
        for (List<String> path : commands) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            MainRunner.Run r = MainRunner.run(Map.of(), args.toArray(String[]::new));
            assertThat(r.exit()).as("greyrelay %s --help: %s", String.join(" ", path), r.err()).isZero();
            assertThat(r.out()).as("greyrelay %s --help", String.join(" ", path)).contains("Usage: greyrelay").contains("--help");
        }
    }

    @Test
    void every_listing_has_json() {
        List<List<String>> commands = new ArrayList<>();
        CommandLine root = Main.commandLine(Map.of());
        walk(root, new ArrayList<>(), commands);
        for (List<String> path : commands) {
            if (path.isEmpty() || !(path.getLast().equals("list") || path.getLast().equals("decisions") || path.getLast().equals("stats")
                    || path.getLast().equals("export") || path.getLast().equals("verify") || path.getLast().equals("check"))) continue;
            CommandLine cl = root;
            for (String p : path) cl = cl.getSubcommands().get(p);
            if (path.equals(List.of("whitelist", "export"))) continue; // postgrey's file format is the output
            assertThat(cl.getCommandSpec().findOption("--json")).as("greyrelay %s --json", String.join(" ", path)).isNotNull();
        }
    }

    @Test
    void a_usage_error_is_exit_2() {
        assertThat(MainRunner.run(Map.of(), "queue", "list", "--no-such-option").exit()).isEqualTo(2);
        assertThat(MainRunner.run(Map.of(), "no-such-command").exit()).isEqualTo(2);
    }
}
