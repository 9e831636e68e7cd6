package greyrelay.admin.auth;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.ClientAddress;
import greyrelay.admin.web.Html;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.RouteAccess;
import greyrelay.db.admin.AdminUser;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /login} and {@code POST /logout}. The login form carries its own CSRF token (a random value in a
 * short-lived SameSite=Strict cookie and in the form, which must match), so no other site can log a browser in.
 * Failed attempts are throttled per client address and per account and audited with the name that was typed.
 */
public final class LoginController implements AdminFeature {
    static final String LOGIN_COOKIE = "greyrelay_login";

    private final AdminAccounts accounts;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Auditor audit;
    private final Pages pages;
    private final AccessGate gate;
    private final boolean secureCookies;

    public LoginController(AdminAccounts accounts, Sessions sessions, LoginThrottle throttle, Auditor audit, Pages pages,
            AccessGate gate, boolean secureCookies) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.throttle = throttle;
        this.audit = audit;
        this.pages = pages;
        this.gate = gate;
        this.secureCookies = secureCookies;
    }

    /** No tab: the login page is reached by the gate's redirect. */
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
        routes.get("/login", this::form);
        routes.post("/login", this::login);
        routes.post("/logout", this::logout, RouteAccess.SELF);
    }

    void form(Context ctx) {
        if (sessions.touch(ctx.cookie(AccessGate.SESSION_COOKIE)).isPresent()) {
            ctx.redirect(safeNext(ctx.queryParam("next")), HttpStatus.SEE_OTHER);
            return;
        }
        render(ctx, 200, "", ctx.queryParam("next"), null);
    }

    void login(Context ctx) {
        String formToken = ctx.formParam(AccessGate.CSRF_FIELD);
        String cookieToken = ctx.cookie(LOGIN_COOKIE);
        String username = ctx.formParam("username");
        String next = ctx.formParam("next");
        if (formToken == null || cookieToken == null
                || !MessageDigest.isEqual(formToken.getBytes(StandardCharsets.UTF_8), cookieToken.getBytes(StandardCharsets.UTF_8))) {
            render(ctx, 403, username, next, "The login form expired. Please try again.");
            return;
        }
        String ip = ClientAddress.of(ctx);
        Optional<LoginThrottle.Blocked> blocked = throttle.blockedFor(ip, username);
        if (blocked.isPresent()) {
            long seconds = blocked.get().retryAfter().toSeconds();
            long minutes = Math.max(1, (seconds + 59) / 60);
            ctx.header("Retry-After", Long.toString(Math.max(1, seconds)));
            render(ctx, 429, username, next, "Too many failed logins " + (blocked.get().account() ? "for this account" : "from your address")
                    + ". Try again in " + minutes + " minute" + (minutes == 1 ? "" : "s") + ".");
            return;
        }
        Optional<String> user = accounts.authenticate(username, ctx.formParam("password"));
        if (user.isEmpty()) {
            throttle.failed(ip, username);
            audit.record(new Actor(username == null || username.isBlank() ? "-" : username, ip), "login.failed", null, null);
            render(ctx, 401, username, next, "Wrong username or password.");
            return;
        }
        throttle.succeeded(ip, username);
        sessions.invalidate(ctx.cookie(AccessGate.SESSION_COOKIE));
        Sessions.Session s = sessions.create(user.get(), ip);
        ctx.cookie(gate.sessionCookie(s.id()));
        ctx.cookie(new Cookie(LOGIN_COOKIE, "", "/login", 0, secureCookies, true, null, SameSite.STRICT));
        audit.record(new Actor(user.get(), ip), "login", null, null);
        boolean mustChange = accounts.find(user.get()).map(AdminUser::mustChangePassword).orElse(false);
        ctx.redirect(mustChange ? AccessGate.PASSWORD_PATH : safeNext(next), HttpStatus.SEE_OTHER);
    }

    void logout(Context ctx) {
        Requests.sessionId(ctx).ifPresent(sessions::invalidate);
        ctx.cookie(gate.expiredSessionCookie());
        audit.record(Requests.actor(ctx), "logout", null, null);
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }

    private void render(Context ctx, int status, String username, String next, String error) {
        String token = Sessions.randomToken();
        ctx.cookie(new Cookie(LOGIN_COOKIE, token, "/login", 3600, secureCookies, true, null, SameSite.STRICT));
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.anonymous("Log in", token));
        model.put("username", Html.cut(username == null ? "" : username, 64));
        model.put("next", safeNext(next));
        model.put("error", error);
        ctx.status(status).render("auth/login.jte", model);
    }

    /** Only a local path: never an open redirect to another site ({@code //evil.example}, {@code /\evil}). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length() > 1000
                || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return "/";
        }
        return next;
    }
}
