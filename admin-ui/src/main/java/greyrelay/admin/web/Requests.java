package greyrelay.admin.web;

import greyrelay.admin.audit.Actor;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UnauthorizedResponse;
import java.util.Optional;

/** What the access gate learned about a request, for handlers and templates. */
public final class Requests {
    private static final String PRINCIPAL = "greyrelay.principal";
    private static final String SESSION = "greyrelay.session";
    private static final String CSRF = "greyrelay.csrf";
    private static final String LOCAL_TIME = "greyrelay.localTime";

    private Requests() {}

    /** Called by the access gate once it knows who is asking. */
    public static void authenticated(Context ctx, Principal who, String sessionId, String csrfToken) {
        ctx.attribute(PRINCIPAL, who);
        if (sessionId != null) ctx.attribute(SESSION, sessionId);
        if (csrfToken != null) ctx.attribute(CSRF, csrfToken);
    }

    public static Optional<Principal> principal(Context ctx) {
        return Optional.ofNullable(ctx.attribute(PRINCIPAL));
    }

    /** The caller of a route behind the gate; never absent there. */
    public static Principal caller(Context ctx) {
        return principal(ctx).orElseThrow(() -> new UnauthorizedResponse("not logged in"));
    }

    /** Who, for the audit log: the caller and the client address. */
    public static Actor actor(Context ctx) {
        Principal who = caller(ctx);
        if (who.kind() == Principal.Kind.CONTROL_TOKEN) {
            // greyrelay's own CLI names the OS user it runs as; whoever holds the control token can read the data
            // directory anyway, so the name is believed, but only in a plain form
            String user = ctx.header(CLI_USER_HEADER);
            if (user != null && user.matches("[A-Za-z0-9._-]{1,64}")) return new Actor("cli:" + user, ClientAddress.of(ctx));
        }
        return new Actor(who.actor(), ClientAddress.of(ctx));
    }

    /** Sent by greyrelay's CLI with the control token: the OS user at the command line, audited as {@code cli:<user>}. */
    public static final String CLI_USER_HEADER = "X-Greyrelay-Cli-User";

    /** Called by the access gate: the logged-in user shows times in the browser's zone. */
    public static void localTime(Context ctx, boolean local) {
        ctx.attribute(LOCAL_TIME, local);
    }

    /** Whether the caller wants times in the browser's zone (a user's choice; UTC for everyone else). */
    public static boolean localTime(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(LOCAL_TIME));
    }

    public static Optional<String> sessionId(Context ctx) {
        return Optional.ofNullable(ctx.attribute(SESSION));
    }

    /** The session's CSRF token, "" for token callers (who need none). */
    public static String csrf(Context ctx) {
        String t = ctx.attribute(CSRF);
        return t == null ? "" : t;
    }

    /** JSON API routes live under {@code /api/}; everything else answers HTML. */
    public static boolean isApi(Context ctx) {
        String p = ctx.path();
        return p.equals("/api") || p.startsWith("/api/");
    }

    /** A numeric path parameter naming a row ({@code /whitelists/{id}/delete}); anything else is "not found". */
    public static long id(Context ctx, String what) {
        String raw = ctx.pathParam("id");
        try {
            long id = Long.parseLong(raw);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // falls through: not a row of ours
        }
        throw new NotFoundResponse("no " + what + " " + raw);
    }

    public static boolean isHtmx(Context ctx) {
        return "true".equals(ctx.header("HX-Request"));
    }
}
