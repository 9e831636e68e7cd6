package greyrelay.admin.web;

import greyrelay.db.admin.AdminRole;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.Map;
import java.util.Set;

/**
 * The before-matched handler that enforces roles on every route, whoever registered it: a viewer may read (GET, HEAD)
 * every page and API answer, and do nothing else, except what is marked {@link RouteAccess#SELF}; a route marked
 * {@link RouteAccess#ADMIN} is for admins even to read. Refused with 403 and one clear sentence (a JSON problem under
 * {@code /api/}, the error page elsewhere). Runs after {@code AccessGate}, which has named the caller.
 */
public final class RoleGate {
    public static final String REFUSED = "read-only access: your role is viewer, and this needs the admin role";

    private final Pages pages;

    public RoleGate(Pages pages) {
        this.pages = pages;
    }

    public void handle(Context ctx) {
        Principal who = Requests.principal(ctx).orElse(null);
        if (who == null || allows(ctx.method(), ctx.routeRoles(), who)) return;
        Problems.answer(ctx, pages, 403, REFUSED, Map.of());
        ctx.skipRemainingHandlers();
    }

    /** Whether this caller may call a route with these marks by this method. */
    public static boolean allows(HandlerType method, Set<RouteRole> marks, Principal who) {
        if (who.role() == AdminRole.ADMIN) return true;
        if (marks.contains(RouteAccess.ADMIN)) return false;
        boolean reads = method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS;
        return reads || marks.contains(RouteAccess.SELF);
    }
}
