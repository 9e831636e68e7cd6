package greyrelay.admin.web;

import java.util.List;

/**
 * What the layout template needs on every page.
 *
 * @param active   the nav path to highlight
 * @param user     the logged-in user, null on the login page (no navigation then)
 * @param csrf     the session's CSRF token, put in a meta tag (htmx sends it as a header) and in every form
 * @param flash    a one-time message after a redirect, or null
 * @param scripts  extra scripts of this page (same origin only: the CSP allows nothing else)
 * @param styles   extra style sheets of this page
 */
public record Page(String title, String active, String user, String csrf, List<NavItem> nav, String flash, String node,
        String version, Assets assets, List<String> scripts, List<String> styles) {

    public Page {
        nav = List.copyOf(nav);
        scripts = List.copyOf(scripts);
        styles = List.copyOf(styles);
    }

    /** This page with a chart library and a page script added. */
    public Page withCharts(String pageScript) {
        return new Page(title, active, user, csrf, nav, flash, node, version, assets,
                List.of(assets.uplotJs(), pageScript), List.of(assets.uplotCss()));
    }

    public boolean isActive(NavItem item) {
        return item.path().equals(active);
    }
}
