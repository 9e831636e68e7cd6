package greyrelay.admin.auditlog;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The audit log, read-only: {@code /audit} and {@code GET /api/audit} (search text, action prefix, time, paging). */
public final class AuditController implements AdminFeature {
    private final AuditLog store;
    private final Pages pages;

    public AuditController(AuditLog store, Pages pages) {
        this.store = store;
        this.pages = pages;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Audit", "/audit", 90));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/audit.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/audit", this::page);
        r.get("/api/audit", this::api);
    }

    /** A parsed search; {@code form} holds the errors. */
    record Search(Form form, AuditQuery query, Paging paging, Sorting<AuditLog.Column> sorting) {
        Sort<AuditLog.Column> sort() {
            return new Sort<>(sorting.column(), sorting.ascending());
        }
    }

    /** The search fields a sorted or paged link keeps. */
    static final String[] FILTERS = {"q", "action", "from", "to"};

    static Search search(Form f) {
        String text = f.text("q");
        String action = f.text("action", 64);
        var from = f.time("from");
        var to = f.time("to");
        Paging paging = Paging.from(f);
        return new Search(f, new AuditQuery(text, action, from, to, paging.limit() + 1, paging.offset()), paging,
                Sorting.from(f, AuditLog.Column.class, AuditLog.Column.TIME, false));
    }

    private void page(Context ctx) {
        Search s = search(Form.query(ctx));
        List<AuditEntry> rows = s.form().ok() ? store.search(s.query(), s.sort()) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Audit log", "/audit"));
        model.put("form", s.form());
        model.put("rows", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        model.put("more", rows.size() > s.paging().limit());
        model.put("paging", s.paging());
        model.put("sorting", s.sorting());
        model.put("filters", s.form().queryString(FILTERS));
        ctx.status(s.form().ok() ? 200 : 400).render("audit/list.jte", model);
    }

    private void api(Context ctx) {
        Search s = search(Form.query(ctx));
        if (!s.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", s.form().errors());
            return;
        }
        List<AuditEntry> rows = store.search(s.query(), s.sort());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        body.put("more", rows.size() > s.paging().limit());
        ctx.json(body);
    }
}
