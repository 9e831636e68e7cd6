package greyrelay.relay;

import greyrelay.relay.cli.AdminCommand;
import greyrelay.relay.cli.AdminTokenCommand;
import greyrelay.relay.cli.AdminUserCommand;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.ConfigException;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.smtp.DemoInbox;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code greyrelay <command>}: the command line (picocli). Exit status 2 for a bad configuration or usage, 1 for a failure. */
@Command(name = "greyrelay", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Greylisting SMTP relay with callback verification.",
        subcommands = {Main.Run.class, Main.Demo.class, Main.Config.class, greyrelay.relay.cli.WhitelistCommand.class,
                AdminCommand.class, AdminUserCommand.class, AdminTokenCommand.class, greyrelay.relay.cli.QueueCommand.class})
public final class Main implements Callable<Integer> {
    /** Commands that run a server and log to stdout; every other command prints its result there and logs to stderr. */
    static final java.util.Set<String> SERVERS = java.util.Set.of("run", "demo", "admin");

    public static void main(String[] args) {
        if (args.length > 0 && !SERVERS.contains(args[0])) System.setProperty("greyrelay.log.target", "System.err");
        System.exit(execute(args, System.getenv()));
    }

    static int execute(String[] args, Map<String, String> env) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof ConfigException ce) {
                System.err.println("greyrelay: " + ce.getMessage());
                return 2;
            }
            System.err.println("greyrelay: " + oneLine(ex));
            return 1;
        });
        ENV.set(env);
        return cl.execute(args);
    }

    static final ThreadLocal<Map<String, String>> ENV = ThreadLocal.withInitial(System::getenv);

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

    /** The configuration: the file given, else $GREYRELAY_CONFIG, else defaults; then GREYRELAY_* variables. */
    public static RelayConfig load(Path file) {
        Map<String, String> env = ENV.get();
        Path f = file;
        if (f == null && env.get("GREYRELAY_CONFIG") != null && !env.get("GREYRELAY_CONFIG").isBlank()) f = Path.of(env.get("GREYRELAY_CONFIG"));
        return ConfigLoader.load(Optional.ofNullable(f), env);
    }

    static void runUntilStopped(Relay relay, Runnable alsoOnStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            alsoOnStop.run();
            stopped.countDown();
        }, "greyrelay-shutdown"));
        stopped.await();
    }

    @Command(name = "run", description = "Run the relay (SMTP, queue, admin panel).")
    static final class Run implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: none, or $GREYRELAY_CONFIG)")
        Path config;

        @Override
        public Integer call() throws Exception {
            RelayConfig c = load(config);
            Relay relay = Relay.create(c, Clock.systemUTC()).start();
            runUntilStopped(relay, () -> {});
            return 0;
        }
    }

    @Command(name = "config", description = "Print the effective configuration (secrets masked) and what differs from the defaults.")
    static final class Config implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
        Path config;

        @Option(names = "--keys", description = "List every key with its environment variable and default")
        boolean keys;

        @Override
        public Integer call() {
            if (keys) {
                System.out.println("key\tenvironment variable\tdefault");
                ConfigDump.keyReference().forEach(System.out::println);
                return 0;
            }
            RelayConfig c = load(config);
            System.out.print(ConfigDump.effectiveYaml(c));
            var changed = ConfigDump.nonDefaults(c);
            System.out.println();
            System.out.println("# differs from the defaults (" + changed.size() + "):");
            for (String line : changed) System.out.println("#   " + line);
            return 0;
        }
    }

    @Command(name = "demo", description = "Try it: relay for example.com into a local demo inbox under <dataDir>/demo-inbox.")
    static final class Demo implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Map<String, String> env = ENV.get();
            RelayConfig base = ConfigLoader.load(Optional.empty(), env);
            DemoInbox inbox = new DemoInbox(base.dataPath().resolve("demo-inbox")).start();
            String yaml = """
                    smtp:
                      relayDomains: [example.com]
                    downstream:
                      host: 127.0.0.1
                      port: %d
                      tls: none
                    greylist:
                      delay: 30s
                    verification:
                      enabled: false
                    spf:
                      enabled: false
                    """.formatted(inbox.port());
            RelayConfig c = ConfigLoader.fromYaml(yaml, env);
            Relay relay;
            try {
                relay = Relay.create(c, Clock.systemUTC()).start();
            } catch (Exception e) {
                inbox.close();
                throw e;
            }
            int port = relay.smtpPort();
            System.out.println();
            System.out.println("greyrelay demo is running: SMTP on port " + port + ", mail for example.com goes to " + inbox.dir());
            String swaks = "  swaks --server 127.0.0.1:" + port + " --helo mail.sender.example --from jane@sender.example";
            System.out.println("Try (in another terminal):");
            System.out.println(swaks + " --to john@example.com");
            System.out.println("      → 451 4.7.1 Greylisted, please try again in 30 seconds (a new sender/recipient/network triplet)");
            System.out.println("  sleep 30; " + swaks.strip() + " --to john@example.com");
            System.out.println("      → 250 2.0.0 Ok: queued as …, then delivered:");
            System.out.println("  ls " + inbox.dir());
            System.out.println(swaks + " --to john@elsewhere.example");
            System.out.println("      → 554 5.7.1 <john@elsewhere.example>: Relay access denied");
            if (relay.adminPort() > 0) System.out.println("  curl http://127.0.0.1:" + relay.adminPort() + "/health");
            System.out.println("Stop with Ctrl-C.");
            runUntilStopped(relay, inbox::close);
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"greyrelay " + Relay.version()};
        }
    }
}
