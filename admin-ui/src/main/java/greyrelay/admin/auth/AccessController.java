package greyrelay.admin.auth;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Principal;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Requests;
import greyrelay.db.admin.AdminRole;
import greyrelay.db.admin.AdminUser;
import greyrelay.db.admin.ApiToken;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the panel: users (add, role, new password, delete) and API tokens (create with a role, revoke), as the
 * page {@code /access} and as {@code /api/users}, {@code /api/tokens}. A new token's secret is shown once, in the
 * answer to its creation, and never stored. A role is {@code admin} or {@code viewer}; none given means admin.
 */
public final class AccessController implements AdminFeature {
    private final AdminAccounts accounts;
    private final ApiTokenService tokens;
    private final Sessions sessions;
    private final AccessGate gate;
    private final Pages pages;

    public AccessController(AdminAccounts accounts, ApiTokenService tokens, Sessions sessions, AccessGate gate, Pages pages) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.gate = gate;
        this.pages = pages;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Access", "/access", 95));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/access.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/access", ctx -> page(ctx, 200, Map.of(), Map.of(), null));
        r.post("/access/users", this::addUser);
        r.post("/access/users/{name}/password", this::changePassword);
        r.post("/access/users/{name}/role", this::changeRole);
        r.post("/access/users/{name}/delete", this::deleteUser);
        r.post("/access/tokens", this::createToken);
        r.post("/access/tokens/{name}/delete", this::revokeToken);

        r.get("/api/users", ctx -> ctx.json(Map.of("users", accounts.list().stream().map(AccessController::userJson).toList())));
        r.post("/api/users", this::apiAddUser);
        r.put("/api/users/{name}/password", this::apiChangePassword);
        r.put("/api/users/{name}/role", this::apiChangeRole);
        r.delete("/api/users/{name}", this::apiDeleteUser);
        r.get("/api/tokens", ctx -> ctx.json(Map.of("tokens", tokens.list().stream().map(AccessController::tokenJson).toList())));
        r.post("/api/tokens", this::apiCreateToken);
        r.delete("/api/tokens/{name}", this::apiRevokeToken);
    }

    // --- pages

    private void page(Context ctx, int status, Map<String, String> errors, Map<String, String> values, ApiTokenService.Created.Done created) {
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Access", "/access"));
        model.put("users", accounts.list());
        model.put("tokens", tokens.list());
        model.put("errors", errors);
        model.put("values", values);
        model.put("created", created);
        model.put("self", Requests.caller(ctx).name());
        ctx.status(status).render("auth/access.jte", model);
    }

    private void addUser(Context ctx) {
        Form f = Form.body(ctx);
        String name = f.raw("username");
        String pw = f.raw("password");
        if (!pw.equals(f.raw("password2"))) {
            page(ctx, 400, Map.of("password2", "the two passwords differ"), Map.of("username", name), null);
            return;
        }
        Optional<AdminRole> role = role(f.raw("role"));
        if (role.isEmpty()) {
            page(ctx, 400, Map.of("role", ROLE_HINT), Map.of("username", name), null);
            return;
        }
        switch (accounts.add(name, pw, role.get(), Requests.actor(ctx))) {
            case AdminAccounts.Result.Done d -> done(ctx, "User " + d.username() + " added" + (role.get() == AdminRole.ADMIN ? "." : " as " + role.get().id() + "."));
            case AdminAccounts.Result.Invalid i -> page(ctx, 400, Map.of(i.field(), i.message()), Map.of("username", name), null);
            case AdminAccounts.Result.NotFound n -> throw new NotFoundResponse("no such user");
            case AdminAccounts.Result.Conflict c -> page(ctx, 409, Map.of("username", c.message()), Map.of("username", name), null);
        }
    }

    private void changePassword(Context ctx) {
        Form f = Form.body(ctx);
        String name = ctx.pathParam("name");
        String pw = f.raw("password");
        if (!pw.equals(f.raw("password2"))) {
            page(ctx, 400, Map.of("password:" + name, "the two passwords differ"), Map.of(), null);
            return;
        }
        switch (accounts.changePassword(name, pw, Requests.actor(ctx))) {
            case AdminAccounts.Result.Done d -> {
                sessions.invalidateUser(d.username());
                Principal me = Requests.caller(ctx);
                if (me.kind() == Principal.Kind.USER && me.name().equals(d.username())) {
                    // your own password: the old sessions end, this browser gets a new one
                    Sessions.Session fresh = sessions.create(d.username(), Requests.actor(ctx).clientIp());
                    ctx.cookie(gate.sessionCookie(fresh.id()));
                    sessions.flash(fresh.id(), "Your password was changed; your other sessions were logged out.");
                    ctx.redirect("/access", HttpStatus.SEE_OTHER);
                } else {
                    done(ctx, "Password of " + d.username() + " changed; their sessions were logged out.");
                }
            }
            case AdminAccounts.Result.Invalid i -> page(ctx, 400, Map.of("password:" + name, i.message()), Map.of(), null);
            case AdminAccounts.Result.NotFound n -> throw new NotFoundResponse("no such user: " + name);
            case AdminAccounts.Result.Conflict c -> page(ctx, 409, Map.of("password:" + name, c.message()), Map.of(), null);
        }
    }

    private void changeRole(Context ctx) {
        String name = ctx.pathParam("name");
        Optional<AdminRole> role = role(Form.body(ctx).raw("role"));
        if (role.isEmpty()) {
            page(ctx, 400, Map.of("role:" + name, ROLE_HINT), Map.of(), null);
            return;
        }
        switch (accounts.setRole(name, role.get(), Requests.actor(ctx))) {
            case AdminAccounts.Result.Done d -> done(ctx, "User " + d.username() + " is now " + role.get().id() + ".");
            case AdminAccounts.Result.NotFound n -> throw new NotFoundResponse("no such user: " + name);
            case AdminAccounts.Result.Conflict c -> page(ctx, 409, Map.of("role:" + name, c.message()), Map.of(), null);
            case AdminAccounts.Result.Invalid i -> page(ctx, 400, Map.of("role:" + name, i.message()), Map.of(), null);
        }
    }

    static final String ROLE_HINT = "admin or viewer";

    /** A role as typed; none means admin (what every user was before roles existed). */
    static Optional<AdminRole> role(String raw) {
        return raw == null || raw.isBlank() ? Optional.of(AdminRole.ADMIN) : AdminRole.parse(raw);
    }

    private void deleteUser(Context ctx) {
        String name = ctx.pathParam("name");
        switch (accounts.delete(name, Requests.actor(ctx))) {
            case AdminAccounts.Result.Done d -> {
                sessions.invalidateUser(d.username());
                done(ctx, "User " + d.username() + " deleted.");
            }
            case AdminAccounts.Result.NotFound n -> throw new NotFoundResponse("no such user: " + name);
            case AdminAccounts.Result.Conflict c -> page(ctx, 409, Map.of("user:" + name, c.message()), Map.of(), null);
            case AdminAccounts.Result.Invalid i -> page(ctx, 400, Map.of("user:" + name, i.message()), Map.of(), null);
        }
    }

    private void createToken(Context ctx) {
        Form f = Form.body(ctx);
        String name = f.raw("name");
        Optional<AdminRole> role = role(f.raw("role"));
        if (role.isEmpty()) {
            page(ctx, 400, Map.of("token", "role: " + ROLE_HINT), Map.of("name", name), null);
            return;
        }
        switch (tokens.create(name, role.get(), Requests.actor(ctx))) {
            case ApiTokenService.Created.Done d -> page(ctx, 201, Map.of(), Map.of(), d);
            case ApiTokenService.Created.Invalid i -> page(ctx, 400, Map.of("token", i.message()), Map.of("name", name), null);
        }
    }

    private void revokeToken(Context ctx) {
        String name = ctx.pathParam("name");
        if (!tokens.revoke(name, Requests.actor(ctx))) throw new NotFoundResponse("no such token: " + name);
        done(ctx, "Token " + name + " revoked.");
    }

    private void done(Context ctx, String message) {
        Requests.sessionId(ctx).ifPresent(id -> sessions.flash(id, message));
        ctx.redirect("/access", HttpStatus.SEE_OTHER);
    }

    // --- API

    private void apiAddUser(Context ctx) {
        Form f = Form.json(ctx);
        Optional<AdminRole> role = role(f.raw("role"));
        if (role.isEmpty()) {
            Problems.answer(ctx, pages, 400, "invalid input", Map.of("role", ROLE_HINT));
            return;
        }
        answer(ctx, accounts.add(f.raw("username"), f.raw("password"), role.get(), Requests.actor(ctx)), 201);
    }

    private void apiChangeRole(Context ctx) {
        String raw = Form.json(ctx).raw("role");
        Optional<AdminRole> role = raw.isBlank() ? Optional.empty() : AdminRole.parse(raw);
        if (role.isEmpty()) {
            Problems.answer(ctx, pages, 400, "invalid input", Map.of("role", ROLE_HINT));
            return;
        }
        answer(ctx, accounts.setRole(ctx.pathParam("name"), role.get(), Requests.actor(ctx)), 200);
    }

    private void apiChangePassword(Context ctx) {
        AdminAccounts.Result r = accounts.changePassword(ctx.pathParam("name"), Form.json(ctx).raw("password"), Requests.actor(ctx));
        if (r instanceof AdminAccounts.Result.Done d) sessions.invalidateUser(d.username());
        answer(ctx, r, 200);
    }

    private void apiDeleteUser(Context ctx) {
        AdminAccounts.Result r = accounts.delete(ctx.pathParam("name"), Requests.actor(ctx));
        if (r instanceof AdminAccounts.Result.Done d) sessions.invalidateUser(d.username());
        answer(ctx, r, 200);
    }

    private void answer(Context ctx, AdminAccounts.Result r, int okStatus) {
        switch (r) {
            case AdminAccounts.Result.Done d -> ctx.status(okStatus).json(accounts.find(d.username()).map(AccessController::userJson)
                    .orElse(Map.of("username", d.username(), "deleted", true)));
            case AdminAccounts.Result.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", Map.of(i.field(), i.message()));
            case AdminAccounts.Result.NotFound n -> throw new NotFoundResponse("no such user: " + n.username());
            case AdminAccounts.Result.Conflict c -> Problems.answer(ctx, pages, 409, c.message(), Map.of());
        }
    }

    private void apiCreateToken(Context ctx) {
        Form f = Form.json(ctx);
        Optional<AdminRole> role = role(f.raw("role"));
        if (role.isEmpty()) {
            Problems.answer(ctx, pages, 400, "invalid input", Map.of("role", ROLE_HINT));
            return;
        }
        switch (tokens.create(f.raw("name"), role.get(), Requests.actor(ctx))) {
            case ApiTokenService.Created.Done d -> {
                Map<String, Object> body = new LinkedHashMap<>(tokenJson(d.token()));
                body.put("secret", d.secret());
                ctx.status(201).json(body);
            }
            case ApiTokenService.Created.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", Map.of(i.field(), i.message()));
        }
    }

    private void apiRevokeToken(Context ctx) {
        String name = ctx.pathParam("name");
        if (!tokens.revoke(name, Requests.actor(ctx))) throw new NotFoundResponse("no such token: " + name);
        ctx.json(Map.of("name", name, "revoked", true));
    }

    static Map<String, Object> userJson(AdminUser u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("username", u.username());
        m.put("role", u.role().id());
        m.put("localTime", u.localTime());
        m.put("createdAt", u.createdAt());
        m.put("passwordChangedAt", u.passwordChangedAt());
        m.put("lastLoginAt", u.lastLoginAt());
        return m;
    }

    static Map<String, Object> tokenJson(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("role", t.role().id());
        m.put("createdBy", t.createdBy());
        m.put("createdAt", t.createdAt());
        m.put("lastUsedAt", t.lastUsedAt());
        return m;
    }

}
