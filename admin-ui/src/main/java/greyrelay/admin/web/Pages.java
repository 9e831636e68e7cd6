package greyrelay.admin.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Builds the {@link Page} of a request: title, navigation, user, CSRF token, one-time message. */
public final class Pages {
    private final String node;
    private final String version;
    private final Assets assets;
    private final Supplier<List<NavItem>> nav;
    private final Function<String, Optional<String>> takeFlash;

    /**
     * @param takeFlash the one-time message of a session id (removed as it is read)
     */
    public Pages(String node, String version, Assets assets, Supplier<List<NavItem>> nav,
            Function<String, Optional<String>> takeFlash) {
        this.node = node;
        this.version = version;
        this.assets = assets;
        this.nav = nav;
        this.takeFlash = takeFlash;
    }

    /** A page behind the login: navigation, user, CSRF token and any pending message. */
    public Page of(Context ctx, String title, String active) {
        Optional<Principal> who = Requests.principal(ctx);
        String user = who.map(Principal::name).orElse(null);
        String flash = Requests.sessionId(ctx).flatMap(takeFlash).orElse(null);
        return new Page(title, active, user, Requests.csrf(ctx), user == null ? List.of() : nav.get(), flash, node, version,
                assets, List.of(), List.of(), who.map(p -> !p.isAdmin()).orElse(false), Requests.localTime(ctx), here(ctx));
    }

    /** The page's own path and query when it is a page one can come back to (a GET), else "/". */
    static String here(Context ctx) {
        if (ctx.method() != io.javalin.http.HandlerType.GET) return "/";
        String q = ctx.queryString();
        return ctx.path() + (q == null || q.isEmpty() ? "" : "?" + q);
    }

    /** A page behind the login but without navigation: a session that must change its password first. */
    public Page restricted(Context ctx, String title) {
        Optional<Principal> who = Requests.principal(ctx);
        String user = who.map(Principal::name).orElse(null);
        return new Page(title, "", user, Requests.csrf(ctx), List.of(), null, node, version, assets, List.of(), List.of(),
                who.map(p -> !p.isAdmin()).orElse(false), Requests.localTime(ctx), "/");
    }

    /** A page without navigation (login), with its own CSRF token. */
    public Page anonymous(String title, String csrf) {
        return new Page(title, "", null, csrf, List.of(), null, node, version, assets, List.of(), List.of(), false, false, "/");
    }

    public String node() {
        return node;
    }
}
