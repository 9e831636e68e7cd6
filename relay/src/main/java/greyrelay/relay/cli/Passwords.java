package greyrelay.relay.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/** A new password: typed twice at the terminal (not echoed), or one line from standard input for scripts. */
final class Passwords {
    private Passwords() {}

    static String read(CommandLine.Model.CommandSpec spec, String user, boolean fromStdin) {
        if (fromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "no password on standard input");
                return line;
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read standard input: " + e.getMessage());
            }
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no terminal to ask for the password: pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", user);
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "the two passwords differ");
            }
            return new String(first);
        } finally {
            if (first != null) Arrays.fill(first, ' ');
            if (second != null) Arrays.fill(second, ' ');
        }
    }
}
