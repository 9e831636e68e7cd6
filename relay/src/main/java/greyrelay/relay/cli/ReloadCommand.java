package greyrelay.relay.cli;

import greyrelay.relay.config.RelayConfig;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code greyrelay reload}: asks the running relay to read its configuration again, like {@code postfix reload}: sends
 * SIGHUP to the pid in {@code <dataDir>/greyrelay.pid}. What was applied and what needs a restart is in the relay's log.
 */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Make the running relay read its configuration again (SIGHUP): TLS certificate, whitelist files, logging; "
                + "other changed keys are named in its log as needing a restart.")
final class ReloadCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        RelayConfig c = config.load(main.env());
        Optional<Long> pid = ReloadSignal.readPid(c.dataPath());
        Optional<ProcessHandle> relay = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (relay.isEmpty()) {
            System.err.println("greyrelay: no running relay found (" + ReloadSignal.pidFile(c.dataPath()) + ")");
            return 1;
        }
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid.get())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            System.err.println("greyrelay: could not signal the relay (pid " + pid.get() + ")");
            return 1;
        }
        System.out.println("reload requested (pid " + pid.get() + "); the relay's log says what was applied");
        return 0;
    }
}
