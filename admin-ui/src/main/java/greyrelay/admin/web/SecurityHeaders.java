package greyrelay.admin.web;

import io.javalin.http.Context;

/**
 * Headers on every response. The CSP allows scripts and styles from this origin only: no inline script, no eval, no
 * inline style blocks (htmx is configured not to inject its indicator styles). Framing is denied twice (CSP
 * {@code frame-ancestors} and {@code X-Frame-Options}) for older browsers.
 */
public final class SecurityHeaders {
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(Context ctx, boolean tls) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (tls) ctx.header("Strict-Transport-Security", "max-age=31536000");
        String p = ctx.path();
        if (!p.startsWith("/static/") && !p.startsWith("/webjars/")) {
            // pages and API answers hold mail data: never keep them in a shared or disk cache
            ctx.header("Cache-Control", "no-store");
        }
    }
}
