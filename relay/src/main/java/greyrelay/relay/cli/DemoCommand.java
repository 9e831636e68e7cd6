package greyrelay.relay.cli;

import greyrelay.relay.Relay;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.logs.LogSetup;
import greyrelay.relay.smtp.DemoInbox;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code greyrelay demo}: relays for example.com into a local inbox under {@code <dataDir>/demo/inbox}, greylisting
 * with a 30 s delay, and prints what to try. Reads no configuration file; {@code GREYRELAY_*} variables still apply.
 */
@Command(name = "demo", description = "Try it: relay for example.com into a local demo inbox under <dataDir>/demo/inbox.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = main.env();
        RelayConfig base = ConfigLoader.load(Optional.empty(), env);
        // the demo's database, spool and inbox live apart from `run`'s, so its users and triplets never carry over
        Path demoDir = base.dataPath().resolve("demo");
        DemoInbox inbox = new DemoInbox(demoDir.resolve("inbox")).start();
        Map<String, String> demoEnv = new HashMap<>(env);
        demoEnv.remove("GREYRELAY_DATA_DIR");
        String yaml = """
                dataDir: "%s"
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
                """.formatted(demoDir.toString().replace("\\", "\\\\").replace("\"", "\\\""), inbox.port());
        RelayConfig c = ConfigLoader.fromYaml(yaml, demoEnv);
        LogSetup.apply(c.logging());
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
        RunCommand.runUntilStopped(relay, inbox::close);
        return 0;
    }
}
