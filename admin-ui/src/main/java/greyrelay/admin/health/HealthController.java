package greyrelay.admin.health;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** {@code GET /health} (JSON, 200 or 503, no login: for container health checks) and {@code GET /metrics} (Prometheus text; the access gate decides who may read it). */
public final class HealthController {
    private final HealthSource health;
    private final Supplier<String> metrics;

    public HealthController(HealthSource health, Supplier<String> metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    public void health(Context ctx) {
        Health h = health.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.ok() ? "ok" : "failing");
        if (h.smtpListening() != null) body.put("smtpListening", h.smtpListening());
        body.put("databaseReachable", h.databaseReachable());
        if (h.queueDepth() != null) body.put("queueDepth", h.queueDepth());
        if (h.oldestMessageAgeSeconds() != null) body.put("oldestMessageAgeSeconds", h.oldestMessageAgeSeconds());
        ctx.status(h.ok() ? 200 : 503).json(body);
    }

    public void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.get());
    }
}
