package greyrelay.admin.ratelimit;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.admin.web.Requests;
import greyrelay.db.ratelimit.RateLimitOverride;
import greyrelay.db.ratelimit.RateLimitOverride.Kind;
import greyrelay.db.ratelimit.RateLimitOverrides;
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
 * Rate limits: the configured defaults (read-only) and the overrides per client block or sender domain, added, edited
 * and deleted ({@code /ratelimits}, {@code /api/ratelimits}). Every change is audited and reported to the embedding
 * relay.
 */
public final class RateLimitController implements AdminFeature {
    static final int MAX_NOTE = 500;
    static final String LIMIT_HINT = "empty (the default), 0 (no limit) or a whole number up to 10,000,000";
    static final List<String> LIMITS = List.of("connectionsPerMinute", "messagesPerHour", "recipientsPerHour");

    private final RateLimitOverrides store;
    private final Optional<RelayPolicy> policy;
    private final ChangeListener changes;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;
    private final BiConsumer<Context, String> flash;

    public RateLimitController(RateLimitOverrides store, Optional<RelayPolicy> policy, ChangeListener changes, Auditor audit,
            Pages pages, Clock clock, BiConsumer<Context, String> flash) {
        this.store = store;
        this.policy = policy;
        this.changes = changes;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Rate limits", "/ratelimits", 50));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/ratelimits.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/ratelimits", ctx -> page(ctx, 200, Map.of(), Map.of()));
        r.post("/ratelimits", this::add);
        r.get("/ratelimits/{id}", ctx -> edit(ctx, find(ctx), 200, null, Map.of()));
        r.post("/ratelimits/{id}", this::update);
        r.post("/ratelimits/{id}/delete", this::delete);

        r.get("/api/ratelimits", this::api);
        r.post("/api/ratelimits", this::apiAdd);
        r.get("/api/ratelimits/{id}", ctx -> ctx.json(RateLimitView.Override.of(find(ctx))));
        r.put("/api/ratelimits/{id}", this::apiUpdate);
        r.delete("/api/ratelimits/{id}", this::apiDelete);
    }

    // --- the operations, shared by pages and API

    /** What saving an override came to. */
    sealed interface Saved {
        record Done(RateLimitOverride override) implements Saved {}

        record Invalid(Map<String, String> errors) implements Saved {}

        record Exists(RateLimitOverride existing) implements Saved {}
    }

    /** The three limits and the note of a form, validated; null limits keep the default. */
    record Limits(Integer connectionsPerMinute, Integer messagesPerHour, Integer recipientsPerHour, String note) {}

    static Limits limits(Form f, Kind kind) {
        Integer cpm = limit(f, "connectionsPerMinute");
        Integer mph = limit(f, "messagesPerHour");
        Integer rph = limit(f, "recipientsPerHour");
        String note = f.text("note", MAX_NOTE);
        if (kind == Kind.SENDER_DOMAIN) {
            String why = "leave empty: a sender-domain override limits messages per hour only";
            if (cpm != null) f.error("connectionsPerMinute", why);
            if (rph != null) f.error("recipientsPerHour", why);
        }
        return new Limits(cpm, mph, rph, note);
    }

    /** Empty means the default; otherwise 0..10,000,000. Also reads JSON numbers (Form.json turns them into text). */
    static Integer limit(Form f, String name) {
        String v = f.text(name, 12);
        if (v == null) return null;
        if (!v.matches("[0-9]{1,8}") || Integer.parseInt(v) > RateLimitOverride.MAX_LIMIT) {
            f.error(name, LIMIT_HINT);
            return null;
        }
        return Integer.parseInt(v);
    }

    Saved create(Form f, Actor who) {
        Kind kind = f.choice("kind", Kind.class);
        if (kind == null && f.errorFor("kind") == null) f.error("kind", "client or sender_domain");
        String match = f.text("match", 255);
        if (match == null && f.errorFor("match") == null) f.error("match", "required: an address or CIDR block, or a domain");
        Limits l = limits(f, kind);
        if (!f.ok()) return new Saved.Invalid(f.errors());
        RateLimitOverride o;
        try {
            o = new RateLimitOverride(null, kind, match, l.connectionsPerMinute(), l.messagesPerHour(), l.recipientsPerHour(),
                    l.note(), clock.instant());
        } catch (IllegalArgumentException e) {
            return new Saved.Invalid(Map.of("match", e.getMessage()));
        }
        Optional<RateLimitOverride> existing = store.find(kind, o.match());
        if (existing.isPresent()) return new Saved.Exists(existing.get());
        RateLimitOverride saved = store.save(o);
        audit.record(who, "ratelimit.add", RateLimitView.label(kind) + " " + saved.match(), describe(saved));
        changes.changed(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        return new Saved.Done(saved);
    }

    /** New limits and note for an existing override; its kind and match stay (delete and add to change those). */
    Saved update(RateLimitOverride current, Form f, Actor who) {
        Limits l = limits(f, current.kind());
        if (!f.ok()) return new Saved.Invalid(f.errors());
        RateLimitOverride saved = store.save(new RateLimitOverride(null, current.kind(), current.match(), l.connectionsPerMinute(),
                l.messagesPerHour(), l.recipientsPerHour(), l.note(), clock.instant()));
        audit.record(who, "ratelimit.edit", RateLimitView.label(saved.kind()) + " " + saved.match(), describe(saved));
        changes.changed(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        return new Saved.Done(saved);
    }

    RateLimitOverride remove(RateLimitOverride o, Actor who) {
        if (!store.delete(o.id())) throw new NotFoundResponse("no rate-limit override " + o.id());
        audit.record(who, "ratelimit.delete", RateLimitView.label(o.kind()) + " " + o.match(), describe(o));
        changes.changed(ChangeListener.What.RATE_LIMIT_OVERRIDES);
        return o;
    }

    /** For the audit log: {@code connections/min 120, messages/h default, recipients/h no limit}. */
    static String describe(RateLimitOverride o) {
        String limits = o.kind() == Kind.CLIENT
                ? "connections/min " + RateLimitView.limit(o.connectionsPerMinute()) + ", messages/h "
                        + RateLimitView.limit(o.messagesPerHour()) + ", recipients/h " + RateLimitView.limit(o.recipientsPerHour())
                : "messages/h " + RateLimitView.limit(o.messagesPerHour());
        return o.note() == null ? limits : limits + "; " + o.note();
    }

    // --- pages

    /** The list's filter: text in the match or note, and a page. */
    record Listing(Form form, String text, Paging paging, Sorting<RateLimitOverrides.Column> sorting) {
        static Listing of(Form f) {
            return new Listing(f, f.text("q"), Paging.from(f),
                    Sorting.from(f, RateLimitOverrides.Column.class, RateLimitOverrides.Column.FOR, true));
        }

        Sort<RateLimitOverrides.Column> sort() {
            return new Sort<>(sorting.column(), sorting.ascending());
        }

        List<RateLimitOverride> apply(List<RateLimitOverride> all) {
            if (text == null) return all;
            String t = text.toLowerCase(Locale.ROOT);
            return all.stream().filter(o -> o.match().contains(t) || o.note() != null && o.note().toLowerCase(Locale.ROOT).contains(t))
                    .toList();
        }
    }

    private void page(Context ctx, int status, Map<String, String> values, Map<String, String> errors) {
        Form f = Form.query(ctx);
        Listing l = Listing.of(f);
        List<RateLimitOverride> all = f.ok() ? l.apply(store.list(l.sort())) : List.of();
        int from = Math.min(l.paging().offset(), all.size());
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Rate limits", "/ratelimits"));
        model.put("form", f);
        model.put("rows", all.subList(from, Math.min(all.size(), from + l.paging().limit())));
        model.put("total", all.size());
        model.put("more", all.size() > l.paging().nextOffset());
        model.put("paging", l.paging());
        model.put("sorting", l.sorting());
        model.put("filters", f.queryString("q"));
        model.put("defaults", policy.map(RelayPolicy::rateLimits).orElse(null));
        model.put("values", values);
        model.put("errors", errors);
        ctx.status(status == 200 && !f.ok() ? 400 : status).render("ratelimit/list.jte", model);
    }

    private void edit(Context ctx, RateLimitOverride o, int status, Map<String, String> values, Map<String, String> errors) {
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Rate limit " + o.match(), "/ratelimits"));
        model.put("o", o);
        model.put("values", values != null ? values : Map.of(
                "connectionsPerMinute", text(o.connectionsPerMinute()), "messagesPerHour", text(o.messagesPerHour()),
                "recipientsPerHour", text(o.recipientsPerHour()), "note", o.note() == null ? "" : o.note()));
        model.put("errors", errors);
        model.put("defaults", policy.map(RelayPolicy::rateLimits).orElse(null));
        ctx.status(status).render("ratelimit/edit.jte", model);
    }

    private static String text(Integer n) {
        return n == null ? "" : n.toString();
    }

    private static Map<String, String> values(Form f, String... names) {
        Map<String, String> v = new HashMap<>();
        for (String n : names) v.put(n, f.raw(n));
        return v;
    }

    private void add(Context ctx) {
        Form f = Form.body(ctx);
        Map<String, String> values = values(f, "kind", "match", "connectionsPerMinute", "messagesPerHour", "recipientsPerHour", "note");
        switch (create(f, Requests.actor(ctx))) {
            case Saved.Done d -> {
                flash.accept(ctx, "Override for " + RateLimitView.label(d.override().kind()) + " " + d.override().match() + " added.");
                ctx.redirect("/ratelimits", HttpStatus.SEE_OTHER);
            }
            case Saved.Invalid i -> page(ctx, 400, values, i.errors());
            case Saved.Exists e -> page(ctx, 409, values, Map.of("match", "already has an override: edit that one"));
        }
    }

    private void update(Context ctx) {
        RateLimitOverride current = find(ctx);
        Form f = Form.body(ctx);
        switch (update(current, f, Requests.actor(ctx))) {
            case Saved.Done d -> {
                flash.accept(ctx, "Override for " + RateLimitView.label(d.override().kind()) + " " + d.override().match() + " saved.");
                ctx.redirect("/ratelimits", HttpStatus.SEE_OTHER);
            }
            case Saved.Invalid i -> edit(ctx, current, 400, values(f, "connectionsPerMinute", "messagesPerHour", "recipientsPerHour", "note"),
                    i.errors());
            case Saved.Exists e -> throw new IllegalStateException("an update never conflicts");
        }
    }

    private void delete(Context ctx) {
        RateLimitOverride o = remove(find(ctx), Requests.actor(ctx));
        flash.accept(ctx, "Override for " + RateLimitView.label(o.kind()) + " " + o.match() + " deleted; the defaults apply.");
        ctx.redirect("/ratelimits", HttpStatus.SEE_OTHER);
    }

    // --- API

    private void api(Context ctx) {
        Form f = Form.query(ctx);
        Listing l = Listing.of(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("defaults", policy.map(p -> RateLimitView.Defaults.of(p.rateLimits())).orElse(null));
        body.put("overrides", store.list(l.sort()).stream().map(RateLimitView.Override::of).toList());
        ctx.json(body);
    }

    private void apiAdd(Context ctx) {
        switch (create(Form.json(ctx), Requests.actor(ctx))) {
            case Saved.Done d -> ctx.status(201).json(RateLimitView.Override.of(d.override()));
            case Saved.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", i.errors());
            case Saved.Exists e -> Problems.answer(ctx, pages, 409, "an override for " + e.existing().match() + " exists: "
                    + "PUT /api/ratelimits/" + e.existing().id(), Map.of());
        }
    }

    private void apiUpdate(Context ctx) {
        RateLimitOverride current = find(ctx);
        switch (update(current, Form.json(ctx), Requests.actor(ctx))) {
            case Saved.Done d -> ctx.json(RateLimitView.Override.of(d.override()));
            case Saved.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", i.errors());
            case Saved.Exists e -> throw new IllegalStateException("an update never conflicts");
        }
    }

    private void apiDelete(Context ctx) {
        RateLimitOverride o = remove(find(ctx), Requests.actor(ctx));
        ctx.json(Map.of("id", o.id(), "deleted", true));
    }

    private RateLimitOverride find(Context ctx) {
        long id = Requests.id(ctx, "rate-limit override");
        return store.find(id).orElseThrow(() -> new NotFoundResponse("no rate-limit override " + id));
    }
}
