package greyrelay.admin;

import greyrelay.admin.health.HealthController;
import greyrelay.admin.health.HealthSource;
import io.javalin.Javalin;
import java.util.function.Supplier;

/**
 * Builds the admin web app, unstarted, so tests can start it on port 0 and the relay can embed it. Javalin 7:
 * routes are declared inside the config lambda; handlers run on virtual threads.
 */
public final class AdminApp {
    private AdminApp() {}

    public static Javalin create(HealthSource health, Supplier<String> metrics) {
        HealthController hc = new HealthController(health, metrics);
        return Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.routes.get("/health", hc::health);
            cfg.routes.get("/metrics", hc::metrics);
        });
    }
}
