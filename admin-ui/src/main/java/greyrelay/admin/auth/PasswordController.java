package greyrelay.admin.auth;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Page;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.RouteAccess;
import greyrelay.db.admin.AdminUser;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET/POST /password}: a logged-in user changes their own password. The only page a session sees while its user
 * still has the generated first password (the gate sends it here); the change ends the user's other sessions and
 * gives this browser a fresh one.
 */
public final class PasswordController implements AdminFeature {
    private final AdminAccounts accounts;
    private final Sessions sessions;
    private final Pages pages;
    private final AccessGate gate;

    public PasswordController(AdminAccounts accounts, Sessions sessions, Pages pages, AccessGate gate) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.pages = pages;
        this.gate = gate;
    }

    /** No tab: reached from the gate's redirect (and the Access page changes any user's password). */
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
        routes.get(AccessGate.PASSWORD_PATH, ctx -> render(ctx, 200, Map.of()));
        routes.post(AccessGate.PASSWORD_PATH, this::change, RouteAccess.SELF);
    }

    private void change(Context ctx) {
        String user = user(ctx);
        String current = ctx.formParam("current");
        String password = ctx.formParam("password");
        if (!accounts.passwordMatches(user, current)) {
            render(ctx, 400, Map.of("current", "this is not your current password"));
            return;
        }
        if (password == null || !password.equals(ctx.formParam("password2"))) {
            render(ctx, 400, Map.of("password", "the two passwords differ"));
            return;
        }
        if (password.equals(current)) {
            render(ctx, 400, Map.of("password", "choose a password other than the current one"));
            return;
        }
        switch (accounts.changePassword(user, password, Requests.actor(ctx))) {
            case AdminAccounts.Result.Done d -> {
                sessions.invalidateUser(d.username());
                Sessions.Session fresh = sessions.create(d.username(), Requests.actor(ctx).clientIp());
                ctx.cookie(gate.sessionCookie(fresh.id()));
                sessions.flash(fresh.id(), "Your password was changed; your other sessions were logged out.");
                ctx.redirect("/", HttpStatus.SEE_OTHER);
            }
            case AdminAccounts.Result.Invalid i -> render(ctx, 400, Map.of("password", i.message()));
            case AdminAccounts.Result.NotFound n -> render(ctx, 400, Map.of("password", "no such user"));
            case AdminAccounts.Result.Conflict c -> render(ctx, 409, Map.of("password", c.message()));
        }
    }

    private String user(Context ctx) {
        if (Requests.sessionId(ctx).isEmpty()) throw new BadRequestResponse("this page is for a logged-in browser");
        return Requests.caller(ctx).name();
    }

    private void render(Context ctx, int status, Map<String, String> errors) {
        String user = user(ctx);
        boolean forced = accounts.find(user).map(AdminUser::mustChangePassword).orElse(false);
        Page page = forced ? pages.restricted(ctx, "Change your password") : pages.of(ctx, "Change your password", "");
        Map<String, Object> model = new HashMap<>();
        model.put("page", page);
        model.put("forced", forced);
        model.put("errors", errors);
        model.put("minLength", AdminAccounts.MIN_PASSWORD);
        ctx.status(status).render("auth/password.jte", model);
    }
}
