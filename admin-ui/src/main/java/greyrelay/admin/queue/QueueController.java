package greyrelay.admin.queue;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.Sorting;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * This node's queue (embedded panel only): the list with attempts, next attempt and last error; one message with its
 * recipients and headers; retry now, delete, bounce. Pages under {@code /queue}, JSON under {@code /api/queue}.
 * Every action is audited.
 */
public final class QueueController implements AdminFeature {
    /** Longest bounce reason: it goes into the DSN on one line. */
    static final int MAX_REASON = 200;

    private final QueueOperations queue;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;
    private final BiConsumer<Context, String> flash;

    /**
     * @param flash puts a one-time message on the caller's next page (after a redirect)
     */
    public QueueController(QueueOperations queue, Auditor audit, Pages pages, Clock clock, BiConsumer<Context, String> flash) {
        this.queue = queue;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Queue", "/queue", 80));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/queue.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/queue", this::page);
        r.get("/queue/{id}", this::message);
        r.post("/queue/{id}/retry", ctx -> act(ctx, "queue.retry", queue.retryNow(id(ctx)), "will be tried again now", null));
        r.post("/queue/{id}/delete", ctx -> act(ctx, "queue.delete", queue.delete(id(ctx)), "was deleted", null));
        r.post("/queue/{id}/bounce", this::bounce);

        r.get("/api/queue", this::api);
        r.get("/api/queue/{id}", ctx -> ctx.json(queue.find(id(ctx)).orElseThrow(() -> notFound(ctx))));
        r.get("/api/queue/{id}/headers", ctx -> {
            String headers = queue.headers(id(ctx)).orElseThrow(() -> notFound(ctx));
            ctx.json(Map.of("id", id(ctx), "headers", headers));
        });
        r.post("/api/queue/{id}/retry", ctx -> apiAct(ctx, "queue.retry", queue.retryNow(id(ctx)), null));
        r.post("/api/queue/{id}/bounce", this::apiBounce);
        r.delete("/api/queue/{id}", ctx -> apiAct(ctx, "queue.delete", queue.delete(id(ctx)), null));
    }

    /** A parsed list request: search text and page. */
    record Listing(Form form, String text, Paging paging, Sorting<QueueColumn> sorting) {
        List<QueuedMessage> apply(List<QueuedMessage> all) {
            String t = text == null ? null : text.toLowerCase(Locale.ROOT);
            return all.stream().filter(m -> t == null || m.matches(t))
                    .sorted(sorting.column().comparator(sorting.ascending())).toList();
        }
    }

    static Listing listing(Form f) {
        return new Listing(f, f.text("q"), Paging.from(f), Sorting.from(f, QueueColumn.class, QueueColumn.RECEIVED, true));
    }

    private void page(Context ctx) {
        Listing l = listing(Form.query(ctx));
        List<QueuedMessage> all = l.form().ok() ? l.apply(queue.list()) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Queue", "/queue"));
        model.put("form", l.form());
        model.put("rows", slice(all, l.paging()));
        model.put("total", all.size());
        model.put("more", all.size() > l.paging().nextOffset());
        model.put("paging", l.paging());
        model.put("sorting", l.sorting());
        model.put("filters", l.form().queryString("q"));
        model.put("now", clock.instant());
        ctx.status(l.form().ok() ? 200 : 400).render("queue/list.jte", model);
    }

    private void message(Context ctx) {
        QueuedMessage m = queue.find(id(ctx)).orElseThrow(() -> notFound(ctx));
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Message " + m.id(), "/queue"));
        model.put("m", m);
        model.put("headers", queue.headers(m.id()).orElse(""));
        model.put("now", clock.instant());
        ctx.render("queue/message.jte", model);
    }

    private void bounce(Context ctx) {
        Form f = Form.body(ctx);
        String reason = f.text("reason", MAX_REASON);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "The reason may be at most " + MAX_REASON + " characters.", f.errors());
            return;
        }
        act(ctx, "queue.bounce", queue.bounce(id(ctx), reason == null ? "" : reason), "was returned to its sender", reason);
    }

    private void act(Context ctx, String action, QueueAction result, String what, String detail) {
        switch (result) {
            case QueueAction.Done d -> {
                audit.record(Requests.actor(ctx), action, d.id(), detail);
                flash.accept(ctx, "Message " + d.id() + " " + what + ".");
                ctx.redirect("/queue", HttpStatus.SEE_OTHER);
            }
            case QueueAction.NotFound n -> throw notFound(ctx);
            case QueueAction.Busy b -> Problems.answer(ctx, pages, 409,
                    "Message " + b.id() + " is being delivered right now; try again in a moment.", Map.of());
        }
    }

    private void api(Context ctx) {
        Listing l = listing(Form.query(ctx));
        if (!l.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", l.form().errors());
            return;
        }
        List<QueuedMessage> all = l.apply(queue.list());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", all.size());
        body.put("messages", slice(all, l.paging()));
        ctx.json(body);
    }

    private void apiBounce(Context ctx) {
        Form f = Form.json(ctx);
        String reason = f.text("reason", MAX_REASON);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid input", f.errors());
            return;
        }
        apiAct(ctx, "queue.bounce", queue.bounce(id(ctx), reason == null ? "" : reason), reason);
    }

    private void apiAct(Context ctx, String action, QueueAction result, String detail) {
        switch (result) {
            case QueueAction.Done d -> {
                audit.record(Requests.actor(ctx), action, d.id(), detail);
                ctx.json(Map.of("id", d.id(), "done", action.substring(action.indexOf('.') + 1)));
            }
            case QueueAction.NotFound n -> throw notFound(ctx);
            case QueueAction.Busy b -> Problems.answer(ctx, pages, 409, "message " + b.id() + " is being delivered; try again", Map.of());
        }
    }

    private static List<QueuedMessage> slice(List<QueuedMessage> all, Paging p) {
        int from = Math.min(p.offset(), all.size());
        return all.subList(from, Math.min(all.size(), from + p.limit()));
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private static NotFoundResponse notFound(Context ctx) {
        return new NotFoundResponse("no queued message " + id(ctx));
    }
}
