package greyrelay.relay.cli;

import greyrelay.relay.Relay;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.logs.LogSetup;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code greyrelay run [--config FILE]}: the relay (SMTP, queue, admin panel) until the process is stopped. */
@Command(name = "run", description = "Run the relay (SMTP, queue, admin panel).")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        RelayConfig c = config.load(main.env());
        LogSetup.apply(c.logging());
        AtomicReference<Relay> started = new AtomicReference<>();
        // SIGHUP: the same file and environment, read again; a configuration error is logged and changes nothing
        ReloadSignal.install(() -> {
            Relay r = started.get();
            if (r != null) r.reload(config.load(main.env()));
        });
        Relay relay = Relay.create(c, Clock.systemUTC()).start();
        started.set(relay);
        ReloadSignal.writePid(c.dataPath());
        runUntilStopped(relay, () -> ReloadSignal.removePid(c.dataPath()));
        return 0;
    }

    /** Blocks until the JVM shuts down (SIGTERM, Ctrl-C); the shutdown hook closes the relay gracefully. */
    static void runUntilStopped(Relay relay, Runnable alsoOnStop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            alsoOnStop.run();
            stopped.countDown();
        }, "greyrelay-shutdown"));
        stopped.await();
    }
}
