package greyrelay.admin.web;

import gg.jte.TemplateException;
import greyrelay.db.DatabaseException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into answers: JSON for {@code /api/…} ({@code {"status":…,"error":…}}), an HTML
 * error page for everything else. Handlers throw Javalin's {@code BadRequestResponse}, {@code NotFoundResponse}, …;
 * a {@link DatabaseException} answers 503; anything else is logged and answers 500 without details.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {}

    public static void install(JavalinConfig cfg, Pages pages) {
        cfg.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, pages, e.getStatus(), e.getMessage(), e.getDetails()));
        cfg.routes.exception(DatabaseException.class, (e, ctx) -> {
            log.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            answer(ctx, pages, 503, "The database is not available: " + e.getMessage(), Map.of());
        });
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e instanceof TemplateException && e.getCause() != null ? e.getCause() : e);
            answer(ctx, pages, 500, "Internal error; the log has the details.", Map.of());
        });
        cfg.routes.error(404, ctx -> {
            String body = ctx.result();
            if (body == null || body.isEmpty()) answer(ctx, pages, 404, "Not found: " + ctx.path(), Map.of());
        });
    }

    /** Also used for validation errors of the API: 400 with the field messages. */
    public static void answer(Context ctx, Pages pages, int status, String message, Map<String, String> fields) {
        ctx.status(status);
        if (Requests.isApi(ctx) || ctx.path().equals("/metrics")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", status);
            body.put("error", message);
            if (!fields.isEmpty()) body.put("fields", fields);
            ctx.json(body);
        } else {
            ctx.render("error.jte", Map.of("page", pages.of(ctx, statusTitle(status), ""), "status", status, "message",
                    message == null ? "" : message, "fields", fields));
        }
    }

    static String statusTitle(int status) {
        return switch (status) {
            case 400 -> "Invalid request";
            case 401 -> "Not logged in";
            case 403 -> "Refused";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 429 -> "Too many attempts";
            case 503 -> "Unavailable";
            default -> status >= 500 ? "Error" : "Problem";
        };
    }
}
