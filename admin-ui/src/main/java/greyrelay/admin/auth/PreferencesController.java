package greyrelay.admin.auth;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Principal;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.RouteAccess;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /preferences/time}: a logged-in user's own choice of time display, {@code zone=utc} (the default) or
 * {@code zone=local} (the browser's zone), kept with the user ({@code admin_user.local_time}) so it holds at every
 * login and on every node. Any role may make it ({@link RouteAccess#SELF}); the form in the page header sends it and
 * comes back to the page it was on.
 */
public final class PreferencesController implements AdminFeature {
    public static final String TIME_PATH = "/preferences/time";

    private final AdminAccounts accounts;
    private final Pages pages;

    public PreferencesController(AdminAccounts accounts, Pages pages) {
        this.accounts = accounts;
        this.pages = pages;
    }

    @Override
    public List<NavItem> nav() {
        return List.of();
    }

    @Override
    public Optional<String> openApi() {
        return Optional.empty();
    }

    @Override
    public void routes(RoutesConfig r) {
        r.post(TIME_PATH, this::time, RouteAccess.SELF);
    }

    private void time(Context ctx) {
        Principal me = Requests.caller(ctx);
        String zone = ctx.formParam("zone");
        if (me.kind() != Principal.Kind.USER) {
            Problems.answer(ctx, pages, 409, "only a logged-in user has a time display", Map.of());
            return;
        }
        if (!"local".equals(zone) && !"utc".equals(zone)) {
            Problems.answer(ctx, pages, 400, "invalid input", Map.of("zone", "utc or local"));
            return;
        }
        accounts.setLocalTime(me.name(), zone.equals("local"));
        ctx.redirect(LoginController.safeNext(ctx.formParam("next")), HttpStatus.SEE_OTHER);
    }
}
