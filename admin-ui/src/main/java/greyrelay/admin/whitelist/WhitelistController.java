package greyrelay.admin.whitelist;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.Html;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.db.net.IpNetwork;
import java.net.InetAddress;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.admin.web.Requests;
import greyrelay.db.whitelist.WhitelistEntry;
import greyrelay.db.whitelist.WhitelistFile;
import greyrelay.db.whitelist.WhitelistKind;
import greyrelay.db.whitelist.WhitelistStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Whitelist entries of every kind: list and search ({@code GET /whitelists}, {@code GET /api/whitelists}), add with a
 * note, delete, import a postgrey file, export one. Every change is audited and reported to the embedding relay.
 */
public final class WhitelistController implements AdminFeature {
    static final int MAX_NOTE = 1000;
    static final int MAX_VALUE = 500;
    /** Larger than any real whitelist file; the whole upload is parsed in memory. */
    static final int MAX_UPLOAD = 1024 * 1024;
    /** Bad lines listed on the page; the API lists them all. */
    static final int PROBLEMS_SHOWN = 50;
    private static final Pattern UNSAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    private final WhitelistStore store;
    private final Optional<WhitelistLookup> lookup;
    private final Optional<RelayPolicy> policy;
    private final ChangeListener changes;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;
    private final BiConsumer<Context, String> flash;

    /**
     * @param flash puts a one-time message on the caller's next page (after a redirect)
     */
    public WhitelistController(WhitelistStore store, Optional<RelayPolicy> policy, Optional<WhitelistLookup> lookup,
            ChangeListener changes, Auditor audit, Pages pages, Clock clock, BiConsumer<Context, String> flash) {
        this.store = store;
        this.lookup = lookup;
        this.policy = policy;
        this.changes = changes;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Whitelists", "/whitelists", 40));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/whitelists.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/whitelists", ctx -> page(ctx, 200, Map.of(), Map.of(), List.of()));
        r.get("/whitelists/export", this::export);
        r.post("/whitelists", this::add);
        r.post("/whitelists/import", this::upload);
        r.post("/whitelists/{id}/delete", this::delete);

        r.get("/api/whitelists", this::api);
        r.get("/api/whitelists/export", this::export);
        r.get("/api/whitelists/fixed", this::apiFixed);
        r.get("/api/whitelists/check", this::apiCheck);
        r.post("/api/whitelists", this::apiAdd);
        r.post("/api/whitelists/import", this::apiImport);
        r.get("/api/whitelists/{id}", ctx -> ctx.json(WhitelistView.Entry.of(find(ctx))));
        r.delete("/api/whitelists/{id}", this::apiDelete);
    }

    // --- the operations, shared by pages and API

    /** A parsed list request. */
    record Listing(Form form, WhitelistKind kind, String text, Paging paging, Sorting<WhitelistStore.Column> sorting) {
        List<WhitelistEntry> rows(WhitelistStore store) {
            return store.search(kind, text, paging.limit() + 1, paging.offset(), new Sort<>(sorting.column(), sorting.ascending()));
        }
    }

    /** The search fields a sorted or paged link keeps. */
    static final String[] FILTERS = {"kind", "q"};

    static Listing listing(Form f) {
        return new Listing(f, f.choice("kind", WhitelistKind.class), f.text("q"), Paging.from(f),
                Sorting.from(f, WhitelistStore.Column.class, WhitelistStore.Column.ADDED, false));
    }

    /** What adding an entry came to. */
    sealed interface Added {
        record Done(WhitelistEntry entry) implements Added {}

        record Invalid(Map<String, String> errors) implements Added {}

        record Exists(WhitelistEntry existing) implements Added {}
    }

    Added add(Form f, Actor who) {
        WhitelistKind kind = f.choice("kind", WhitelistKind.class);
        if (kind == null && f.errorFor("kind") == null) f.error("kind", "choose what the entry matches");
        String raw = f.text("value", MAX_VALUE);
        if (raw == null && f.errorFor("value") == null) f.error("value", "required");
        String note = f.text("note", MAX_NOTE);
        if (!f.ok()) return new Added.Invalid(f.errors());
        String value;
        try {
            value = WhitelistEntry.normalise(kind, raw);
        } catch (IllegalArgumentException e) {
            return new Added.Invalid(Map.of("value", e.getMessage()));
        }
        Optional<WhitelistEntry> existing = store.find(kind, value);
        if (existing.isPresent()) return new Added.Exists(existing.get());
        WhitelistEntry saved = store.add(WhitelistEntry.of(kind, value, note, "admin:" + who.name(), clock.instant()));
        audit.record(who, "whitelist.add", WhitelistView.label(kind) + " " + saved.value(), note);
        changes.changed(ChangeListener.What.WHITELISTS);
        return new Added.Done(saved);
    }

    WhitelistEntry remove(WhitelistEntry e, Actor who) {
        if (!store.remove(e.id())) throw new NotFoundResponse("no whitelist entry " + e.id());
        audit.record(who, "whitelist.delete", WhitelistView.label(e.kind()) + " " + e.value(), "source " + e.source());
        changes.changed(ChangeListener.What.WHITELISTS);
        return e;
    }

    /** What an import came to. */
    sealed interface Imported {
        record Done(WhitelistFile.Type type, String source, int entries, int added) implements Imported {}

        record Refused(List<String> problems) implements Imported {}
    }

    /**
     * Imports a file in postgrey's format, all or nothing. Its entries get the source {@code import:<name>}, as with
     * {@code greyrelay whitelist import}; with {@code replace}, the entries of an earlier import of the same name go.
     */
    Imported importText(String text, String name, WhitelistFile.Type type, boolean replace, Actor who) {
        String source = "import:" + name;
        WhitelistFile.Parsed parsed = WhitelistFile.parse(text, name, type, source, clock.instant());
        if (!parsed.ok()) return new Imported.Refused(parsed.problems());
        if (parsed.entries().isEmpty()) return new Imported.Refused(List.of(name + ": no entries in the file"));
        int added = store.addAll(parsed.entries(), replace ? source : null);
        audit.record(who, "whitelist.import", name, parsed.entries().size() + " " + type.name().toLowerCase(Locale.ROOT)
                + " entries, " + added + " new" + (replace ? ", replacing its previous import" : ""));
        changes.changed(ChangeListener.What.WHITELISTS);
        return new Imported.Done(type, source, parsed.entries().size(), added);
    }

    /** A file name fit to store and show: its last path segment, plain characters only, at most 100. */
    static String safeName(String name) {
        String n = name == null ? "" : name.replace('\\', '/');
        n = n.substring(n.lastIndexOf('/') + 1);
        n = UNSAFE_NAME.matcher(n).replaceAll("_");
        if (n.length() > 100) n = n.substring(0, 100);
        return n.isEmpty() || n.chars().allMatch(c -> c == '.' || c == '_') ? "upload" : n;
    }

    // --- what is in force besides the database

    /** A parsed "is this client whitelisted?" question; {@code form} holds the errors. */
    record Check(Form form, WhitelistLookup.Question question) {}

    static Check check(Form f) {
        String ip = f.text("ip", 45);
        InetAddress client = null;
        if (ip == null) {
            f.error("ip", "required: the client's IP address");
        } else {
            try {
                client = IpNetwork.literal(ip);
            } catch (IllegalArgumentException e) {
                f.error("ip", "an IP address such as 192.0.2.7 or 2001:db8::7");
            }
        }
        String name = f.text("name", 255);
        String sender = f.text("sender");
        String recipient = f.text("recipient");
        return new Check(f, f.ok() ? new WhitelistLookup.Question(client, name, sender, recipient) : null);
    }

    private void apiFixed(Context ctx) {
        if (lookup.isEmpty()) {
            Problems.answer(ctx, pages, 409, STANDALONE, Map.of());
            return;
        }
        ctx.json(Map.of("entries", lookup.get().fixed().stream().map(WhitelistView.Entry::of).toList()));
    }

    private void apiCheck(Context ctx) {
        Check c = check(Form.query(ctx));
        if (!c.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", c.form().errors());
            return;
        }
        if (lookup.isEmpty()) {
            Problems.answer(ctx, pages, 409, STANDALONE, Map.of());
            return;
        }
        List<WhitelistLookup.Match> matches = lookup.get().check(c.question());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("whitelisted", !matches.isEmpty());
        body.put("matches", matches.stream().map(WhitelistView.MatchView::of).toList());
        ctx.json(body);
    }

    /** Why a panel without the relay cannot answer. */
    static final String STANDALONE = "only the panel embedded in a relay knows the whitelist entries of its files and default list";

    // --- pages

    private void page(Context ctx, int status, Map<String, String> values, Map<String, String> errors, List<String> problems) {
        Listing l = listing(Form.query(ctx));
        List<WhitelistEntry> rows = l.form().ok() ? l.rows(store)
                : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Whitelists", "/whitelists"));
        model.put("form", l.form());
        model.put("rows", rows.size() > l.paging().limit() ? rows.subList(0, l.paging().limit()) : rows);
        model.put("more", rows.size() > l.paging().limit());
        model.put("paging", l.paging());
        model.put("sorting", l.sorting());
        model.put("filters", l.form().queryString(FILTERS));
        model.put("values", values);
        model.put("errors", errors);
        model.put("problems", problems.size() > PROBLEMS_SHOWN ? problems.subList(0, PROBLEMS_SHOWN) : problems);
        model.put("moreProblems", Math.max(0, problems.size() - PROBLEMS_SHOWN));
        model.put("greylist", policy.map(RelayPolicy::greylist).orElse(null));
        model.put("fixed", lookup.map(WhitelistLookup::fixed).orElse(null));
        Form cf = Form.query(ctx);
        Check c = cf.raw("ip").isEmpty() && cf.raw("check").isEmpty() ? null : check(cf);
        model.put("check", c == null ? null : c.form());
        model.put("matches", c == null || c.question() == null || lookup.isEmpty() ? null : lookup.get().check(c.question()));
        model.put("canCheck", lookup.isPresent());
        boolean bad = !l.form().ok() || c != null && !c.form().ok();
        ctx.status(status == 200 && bad ? 400 : status).render("whitelist/list.jte", model);
    }

    private void add(Context ctx) {
        Form f = Form.body(ctx);
        Map<String, String> values = Map.of("kind", f.raw("kind"), "value", f.raw("value"), "note", f.raw("note"));
        switch (add(f, Requests.actor(ctx))) {
            case Added.Done d -> {
                flash.accept(ctx, "Added " + WhitelistView.label(d.entry().kind()) + " " + d.entry().value() + ".");
                ctx.redirect("/whitelists", HttpStatus.SEE_OTHER);
            }
            case Added.Invalid i -> page(ctx, 400, values, i.errors(), List.of());
            case Added.Exists e -> page(ctx, 409, values, Map.of("value", "already on the whitelist (added "
                    + Html.time(e.existing().createdAt()) + ", " + e.existing().source() + ")"), List.of());
        }
    }

    private void delete(Context ctx) {
        WhitelistEntry e = remove(find(ctx), Requests.actor(ctx));
        flash.accept(ctx, "Deleted " + WhitelistView.label(e.kind()) + " " + e.value() + ".");
        ctx.redirect("/whitelists", HttpStatus.SEE_OTHER);
    }

    private void upload(Context ctx) {
        Form f = Form.body(ctx);
        UploadedFile file = ctx.uploadedFile("file");
        Map<String, String> values = Map.of("type", f.raw("type"), "replace", f.raw("replace"));
        if (file == null || file.size() == 0) {
            page(ctx, 400, values, Map.of("file", "choose a whitelist file"), List.of());
            return;
        }
        if (file.size() > MAX_UPLOAD) {
            page(ctx, 400, values, Map.of("file", "at most " + MAX_UPLOAD / 1024 + " KB"), List.of());
            return;
        }
        WhitelistFile.Type type = f.choice("type", WhitelistFile.Type.class);
        if (!f.ok()) {
            page(ctx, 400, values, f.errors(), List.of());
            return;
        }
        String name = safeName(file.filename());
        String text;
        try (InputStream in = file.content()) {
            text = new String(in.readNBytes(MAX_UPLOAD), StandardCharsets.UTF_8);
        } catch (IOException e) {
            page(ctx, 400, values, Map.of("file", "the upload could not be read"), List.of());
            return;
        }
        boolean replace = !f.raw("replace").isEmpty();
        switch (importText(text, name, type == null ? WhitelistFile.Type.guess(name) : type, replace, Requests.actor(ctx))) {
            case Imported.Done d -> {
                flash.accept(ctx, "Imported " + d.entries() + " " + d.type().name().toLowerCase(Locale.ROOT) + " entries from " + name
                        + " (" + d.added() + " new).");
                ctx.redirect("/whitelists", HttpStatus.SEE_OTHER);
            }
            case Imported.Refused r -> page(ctx, 400, values, Map.of("file", "nothing imported: " + r.problems().size()
                    + " bad line(s), listed below"), r.problems());
        }
    }

    /** A postgrey file of one kind group, as a download ({@code ?type=clients|recipients|senders}, default clients). */
    private void export(Context ctx) {
        Form f = Form.query(ctx);
        WhitelistFile.Type type = f.choice("type", WhitelistFile.Type.class);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        WhitelistFile.Type t = type == null ? WhitelistFile.Type.CLIENTS : type;
        List<String> header = List.of("greyrelay whitelist: " + t.name().toLowerCase(Locale.ROOT) + " (postgrey " + t.fileName()
                        + " format), exported " + Html.time(clock.instant()) + " UTC from " + pages.node(),
                "import with the admin panel or: greyrelay whitelist import " + t.fileName());
        WhitelistFile.Formatted out = WhitelistFile.format(store.all(), t, header);
        String text = out.text();
        if (!out.skipped().isEmpty()) {
            text += "\n# left out, not expressible in this format: " + String.join(", ", out.skipped()) + "\n";
        }
        ctx.header("Content-Disposition", "attachment; filename=\"" + t.fileName() + "\"");
        ctx.contentType("text/plain; charset=utf-8").result(text);
    }

    // --- API

    private void api(Context ctx) {
        Listing l = listing(Form.query(ctx));
        if (!l.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", l.form().errors());
            return;
        }
        List<WhitelistEntry> rows = l.rows(store);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", rows.stream().limit(l.paging().limit()).map(WhitelistView.Entry::of).toList());
        body.put("more", rows.size() > l.paging().limit());
        ctx.json(body);
    }

    private void apiAdd(Context ctx) {
        switch (add(Form.json(ctx), Requests.actor(ctx))) {
            case Added.Done d -> ctx.status(201).json(WhitelistView.Entry.of(d.entry()));
            case Added.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", i.errors());
            case Added.Exists e -> Problems.answer(ctx, pages, 409, "already on the whitelist as entry " + e.existing().id(), Map.of());
        }
    }

    private void apiDelete(Context ctx) {
        WhitelistEntry e = remove(find(ctx), Requests.actor(ctx));
        ctx.json(Map.of("id", e.id(), "deleted", true));
    }

    /** The body is the file itself (text/plain); {@code ?type=}, {@code ?name=} and {@code ?replace=false} as on the page. */
    private void apiImport(Context ctx) {
        Form f = Form.query(ctx);
        WhitelistFile.Type type = f.choice("type", WhitelistFile.Type.class);
        String rawName = f.text("name", 200);
        String replace = f.raw("replace");
        if (!replace.isEmpty() && !replace.equals("true") && !replace.equals("false")) f.error("replace", "true or false");
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_UPLOAD) {
            Problems.answer(ctx, pages, 413, "the file may be at most " + MAX_UPLOAD / 1024 + " KB", Map.of());
            return;
        }
        String name = safeName(rawName == null ? "api" : rawName);
        switch (importText(new String(body, StandardCharsets.UTF_8), name, type == null ? WhitelistFile.Type.guess(name) : type,
                !replace.equals("false"), Requests.actor(ctx))) {
            case Imported.Done d -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("type", d.type().name().toLowerCase(Locale.ROOT));
                out.put("source", d.source());
                out.put("entries", d.entries());
                out.put("added", d.added());
                ctx.json(out);
            }
            case Imported.Refused r -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("status", 400);
                out.put("error", "nothing imported: " + r.problems().size() + " bad line(s)");
                out.put("problems", r.problems());
                ctx.status(400).json(out);
            }
        }
    }

    private WhitelistEntry find(Context ctx) {
        long id = Requests.id(ctx, "whitelist entry");
        return store.find(id).orElseThrow(() -> new NotFoundResponse("no whitelist entry " + id));
    }
}
