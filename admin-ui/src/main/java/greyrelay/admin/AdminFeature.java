package greyrelay.admin;

import greyrelay.admin.web.NavItem;
import io.javalin.config.RoutesConfig;
import java.util.List;
import java.util.Optional;

/**
 * One feature of the panel: its navigation entry, its routes (HTML pages and the JSON API behind them) and the
 * OpenAPI description of its API routes. This is how a page is added (see admin-ui/README.md).
 *
 * <p>Call order: {@code AdminApp} builds every feature, passing what it uses to its constructor, reads {@link #nav()}
 * and {@link #openApi()}, then calls {@link #routes} once inside Javalin's config. Every route is behind the login and
 * CSRF gate already (which lets only {@code /login}, {@code /health} and, when open, {@code /metrics} through); a
 * feature only checks its own input.
 */
public interface AdminFeature {
    /** Navigation entries (usually one); empty for a feature without a page of its own. */
    List<NavItem> nav();

    /** Registers the feature's routes: HTML under {@code /<feature>}, JSON under {@code /api/<feature>}. */
    void routes(RoutesConfig routes);

    /** Classpath resource describing the feature's {@code /api} routes (e.g. {@code openapi/queue.json}). */
    Optional<String> openApi();
}
