package greyrelay.relay.cli;

import greyrelay.admin.app.AdminApp;
import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.relay.Relay;
import greyrelay.relay.admin.AdminWiring;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.RelayConfig;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code greyrelay admin --config FILE}: the admin panel alone, against the database the configuration names, to
 * manage the state several relay nodes share in PostgreSQL (whitelists, greylist, decisions, users). No SMTP, no queue
 * (each node's queue is on its own panel). Uses {@code admin.*} (bind, port, TLS, sessions) like the embedded panel.
 * No relay runs in this process, so nothing is invalidated after an edit: every node picks whitelist and rate-limit
 * changes up within {@code greylist.whitelistRefresh} and {@code rateLimits.overrideRefresh}.
 */
@Command(name = "admin", description = "Run the admin panel alone against the shared database (no SMTP, no queue).")
public final class AdminCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(AdminCommand.class);

    @ParentCommand
    Main main;

    @Mixin
    ConfigOption config;

    /** A running standalone panel. */
    public record Running(Javalin app, Database database) implements AutoCloseable {
        @Override
        public void close() {
            app.stop();
            database.close();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Running running = start(config.load(main.env()), Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "greyrelay-admin-shutdown"));
        stopped.await();
        return 0;
    }

    /** Opens the database and starts the panel on {@code admin.bind}:{@code admin.port}. */
    public static Running start(RelayConfig c, Clock clock) {
        Database db = Databases.open(c);
        try {
            if (db.dialect() == Dialect.H2) {
                log.warn("greyrelay admin: the embedded H2 database is used; no relay can run on it meanwhile."
                        + " For several nodes, point database.url at the shared PostgreSQL.");
            }
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Javalin app = AdminApp.builder(AdminWiring.settings(c, Relay.version()), db).clock(clock).metrics(metrics::scrape)
                    .configuration(ConfigDump.masked(c), AdminWiring.configKeys(c)).relayPolicy(AdminWiring.policy(c)).build()
                    .start(c.admin().bind(), c.admin().port());
            log.info("greyrelay admin panel {} ready: {}{}:{}, database {}", Relay.version(), c.admin().tls().enabled() ? "https://" : "http://",
                    c.admin().bind(), app.port(), db);
            return new Running(app, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}
