package greyrelay.admin.auth;

import greyrelay.admin.web.Principal;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Requests;
import greyrelay.db.admin.AdminUser;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * The before-handler in front of every route: who is asking, and may they. Open without login: {@code /health},
 * {@code /health/live}, {@code /health/ready},
 * {@code /login}, static assets, and {@code /metrics} when {@code admin.metricsOpen}. Everything else needs a session
 * cookie or {@code Authorization: Bearer <token>}. Without either, {@code /api/…} (and {@code /metrics}) answer 401
 * and pages redirect to the login page. A state-changing request (anything but GET/HEAD/OPTIONS) made with a session
 * must carry the session's CSRF token, as the {@code X-CSRF-Token} header (htmx, fetch) or the {@code _csrf} form field;
 * token callers need none (no browser sends a bearer token on its own). A session of a user who still has the
 * generated first password is sent to {@value #PASSWORD_PATH} (pages) or refused with 403 (API) until it is changed.
 */
public final class AccessGate {
    public static final String SESSION_COOKIE = "greyrelay_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    public static final String CSRF_FIELD = "_csrf";
    /** The change-password form: the only page a session with a generated password may see. */
    public static final String PASSWORD_PATH = "/password";
    private static final java.util.Set<String> PASSWORD_CHANGE_PATHS = java.util.Set.of(PASSWORD_PATH, "/logout");

    private final Sessions sessions;
    private final ApiTokenService tokens;
    private final AdminAccounts accounts;
    private final Pages pages;
    private final boolean secureCookies;
    private final boolean metricsOpen;
    private final boolean controlOnly;

    public AccessGate(Sessions sessions, ApiTokenService tokens, AdminAccounts accounts, Pages pages, boolean secureCookies,
            boolean metricsOpen) {
        this(sessions, tokens, accounts, pages, secureCookies, metricsOpen, false);
    }

    /**
     * @param controlOnly the relay's control listener with the panel off ({@code admin.enabled: false}): only the
     *                    local control token gets in (no login, no session, no API token); the health answers stay open
     */
    public AccessGate(Sessions sessions, ApiTokenService tokens, AdminAccounts accounts, Pages pages, boolean secureCookies,
            boolean metricsOpen, boolean controlOnly) {
        this.controlOnly = controlOnly;
        this.sessions = sessions;
        this.tokens = tokens;
        this.accounts = accounts;
        this.pages = pages;
        this.secureCookies = secureCookies;
        this.metricsOpen = metricsOpen;
    }

    public void handle(Context ctx) {
        if (isOpen(ctx)) return;
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            Optional<Principal> p = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? tokens.authenticate(authorization.substring(7).strip()) : Optional.empty();
            if (p.isEmpty() || (controlOnly && p.get().kind() != Principal.Kind.CONTROL_TOKEN)) {
                refuse(ctx, 401, controlOnly ? "only the local control token is accepted here" : "invalid API token");
                return;
            }
            Requests.authenticated(ctx, p.get(), null, null);
            return;
        }
        if (controlOnly) {
            refuse(ctx, 401, "the admin panel is off (admin.enabled: false); send Authorization: Bearer <control token>");
            return;
        }
        Optional<Sessions.Session> session = sessions.touch(ctx.cookie(SESSION_COOKIE));
        Optional<AdminUser> user = session.flatMap(s -> accounts.sessionUser(s.username(), s.createdAt()));
        if (session.isPresent() && user.isEmpty()) {
            // deleted, or a new password (perhaps from the CLI or another node): this session is over
            sessions.invalidate(session.get().id());
            session = Optional.empty();
        }
        if (session.isEmpty()) {
            unauthenticated(ctx);
            return;
        }
        Sessions.Session s = session.get();
        Requests.authenticated(ctx, Principal.user(s.username(), user.get().role()), s.id(), s.csrfToken());
        Requests.localTime(ctx, user.get().localTime());
        if (changesState(ctx.method()) && !csrfMatches(ctx, s.csrfToken())) {
            refuse(ctx, 403, "missing or wrong CSRF token; reload the page and try again");
            return;
        }
        if (user.get().mustChangePassword() && !PASSWORD_CHANGE_PATHS.contains(ctx.path())) {
            mustChangePassword(ctx);
        }
    }

    /**
     * A session of a user whose password was generated (printed in the log) reaches only the change form and logout
     * until the password is changed. Bearer tokens are not affected (someone who made a token chose to).
     */
    private void mustChangePassword(Context ctx) {
        if (Requests.isApi(ctx) || ctx.path().equals("/metrics")) {
            refuse(ctx, 403, "change the generated first password first: " + PASSWORD_PATH);
        } else if (Requests.isHtmx(ctx)) {
            ctx.header("HX-Redirect", PASSWORD_PATH);
            ctx.status(403).result("");
            ctx.skipRemainingHandlers();
        } else {
            ctx.redirect(PASSWORD_PATH, HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
        }
    }

    private boolean isOpen(Context ctx) {
        String p = ctx.path();
        if (p.equals("/health") || p.equals("/health/live") || p.equals("/health/ready")) return true;
        if (controlOnly) return false;
        return p.equals("/login") || p.startsWith("/static/") || p.startsWith("/webjars/")
                || p.equals("/favicon.ico") || (metricsOpen && p.equals("/metrics"));
    }

    private void unauthenticated(Context ctx) {
        if (Requests.isApi(ctx) || ctx.path().equals("/metrics")) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"greyrelay\"");
            refuse(ctx, 401, "log in or send Authorization: Bearer <token>");
        } else if (Requests.isHtmx(ctx)) {
            ctx.header("HX-Redirect", "/login");
            ctx.status(401).result("");
            ctx.skipRemainingHandlers();
        } else {
            String target = ctx.method() == HandlerType.GET ? ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()) : "/";
            ctx.redirect("/login" + (target.equals("/") ? "" : "?next=" + greyrelay.admin.web.Html.q(target)), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
        }
    }

    private void refuse(Context ctx, int status, String message) {
        Problems.answer(ctx, pages, status, message, Map.of());
        ctx.skipRemainingHandlers();
    }

    static boolean changesState(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    private static boolean csrfMatches(Context ctx, String expected) {
        String got = ctx.header(CSRF_HEADER);
        if (got == null || got.isEmpty()) {
            String type = ctx.contentType();
            // form fields only from form bodies: reading a JSON body here would consume it
            if (type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data"))) {
                got = ctx.formParam(CSRF_FIELD);
            }
        }
        return got != null && MessageDigest.isEqual(got.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure when the panel speaks HTTPS, gone when the browser closes. */
    public Cookie sessionCookie(String id) {
        return new Cookie(SESSION_COOKIE, id, "/", -1, secureCookies, true, null, SameSite.STRICT);
    }

    public Cookie expiredSessionCookie() {
        return new Cookie(SESSION_COOKIE, "", "/", 0, secureCookies, true, null, SameSite.STRICT);
    }
}
