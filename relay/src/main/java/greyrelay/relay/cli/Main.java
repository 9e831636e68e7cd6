package greyrelay.relay.cli;

import greyrelay.relay.Relay;
import greyrelay.relay.config.ConfigException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code greyrelay <command>}: the command line (picocli). Exit status 2 for a bad configuration or usage, 1 for a
 * failure. The root command holds the environment the process was started with; every command reaches it as its
 * parent ({@code @ParentCommand}) and reads the configuration through {@link ConfigOption}.
 */
@Command(name = "greyrelay", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Greylisting SMTP relay with callback verification.",
        subcommands = {RunCommand.class, DemoCommand.class, ConfigCommand.class, WhitelistCommand.class, AdminCommand.class,
                AdminUserCommand.class, AdminTokenCommand.class, QueueCommand.class, HealthCommand.class, GreylistCommand.class,
                SpamtrapCommand.class, DecisionsCommand.class, CheckCommand.class, VerifyCommand.class, StatsCommand.class,
                ReloadCommand.class})
public final class Main implements Callable<Integer> {
    /** Commands that run a server and log to stdout; every other command prints its result there and logs to stderr. */
    static final Set<String> SERVERS = Set.of("run", "demo", "admin");

    private final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
    }

    public static void main(String[] args) {
        if (args.length > 0 && !SERVERS.contains(args[0])) System.setProperty("greyrelay.log.target", "System.err");
        System.exit(execute(args, System.getenv()));
    }

    static int execute(String[] args, Map<String, String> env) {
        return commandLine(env).execute(args);
    }

    /** The whole command line in this environment; a {@link ConfigException} is exit 2, any other failure exit 1. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main(env));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CommandLine.ParameterException pe) {
                System.err.println("greyrelay: " + pe.getMessage());
                return 2;
            }
            if (ex instanceof ControlApi.Failure f) {
                System.err.println("greyrelay: " + f.getMessage());
                return 1;
            }
            if (ex instanceof ConfigException ce) {
                System.err.println("greyrelay: " + ce.getMessage());
                return 2;
            }
            System.err.println("greyrelay: " + oneLine(ex));
            return 1;
        });
        return cl;
    }

    /** The variables this run was started with ({@code GREYRELAY_*}, {@code GREYRELAY_CONFIG}). */
    Map<String, String> env() {
        return env;
    }

    static String oneLine(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof java.lang.reflect.InvocationTargetException)) c = c.getCause();
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"greyrelay " + Relay.version()};
        }
    }
}
