package greyrelay.admin.health;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.NavItem;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health} (the summary), {@code GET /health/live} (alive and not wedged) and {@code GET /health/ready} (able
 * to take mail): JSON, 200 or 503, no login, each with the version. And {@code GET /metrics} (Prometheus text; the
 * access gate decides who may read it).
 */
public final class HealthController implements AdminFeature {
    private final HealthSource health;
    private final Supplier<String> metrics;
    private final String version;

    public HealthController(HealthSource health, Supplier<String> metrics, String version) {
        this.health = health;
        this.metrics = metrics;
        this.version = version;
    }

    @Override
    public List<NavItem> nav() {
        return List.of();
    }

    @Override
    public Optional<String> openApi() {
        return Optional.empty();
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/health/live", ctx -> conditions(ctx, health.live()));
        routes.get("/health/ready", ctx -> conditions(ctx, health.ready()));
        routes.get("/metrics", this::metrics);
    }

    private void conditions(Context ctx, List<Condition> conditions) {
        boolean ok = Condition.all(conditions);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? "ok" : "failing");
        body.put("version", version);
        body.put("checks", conditions.stream().map(c -> Map.of("name", c.name(), "ok", c.ok(), "detail", c.detail())).toList());
        ctx.status(ok ? 200 : 503).json(body);
    }

    void health(Context ctx) {
        Health h = health.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.ok() ? "ok" : "failing");
        body.put("version", version);
        if (h.smtpListening() != null) body.put("smtpListening", h.smtpListening());
        body.put("databaseReachable", h.databaseReachable());
        if (h.queueDepth() != null) body.put("queueDepth", h.queueDepth());
        if (h.oldestMessageAgeSeconds() != null) body.put("oldestMessageAgeSeconds", h.oldestMessageAgeSeconds());
        ctx.status(h.ok() ? 200 : 503).json(body);
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
    }
}
