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
 * @param viewer   the caller may only read: action forms are not shown ({@code RoleGate} refuses them anyway)
 * @param localTime times are shown in the browser's zone ({@code app.js} converts every {@code <time>}), else UTC
 * @param here     this page's path and query, where the time-display toggle comes back to ("/" when unknown)
 */
public record Page(String title, String active, String user, String csrf, List<NavItem> nav, String flash, String node,
        String version, Assets assets, List<String> scripts, List<String> styles, boolean viewer, boolean localTime, String here) {

    public Page {
        nav = List.copyOf(nav);
        scripts = List.copyOf(scripts);
        styles = List.copyOf(styles);
    }

    /** This page with a chart library and a page script added. */
    public Page withCharts(String pageScript) {
        return new Page(title, active, user, csrf, nav, flash, node, version, assets,
                List.of(assets.uplotJs(), pageScript), List.of(assets.uplotCss()), viewer, localTime, here);
    }

    /** This page with a one-time message (a notice after an action) in place of the flash. */
    public Page withFlash(String message) {
        return new Page(title, active, user, csrf, nav, message, node, version, assets, scripts, styles, viewer, localTime, here);
    }

    /** The caller may change things (every role but viewer; the login page has no caller). */
    public boolean admin() {
        return user != null && !viewer;
    }

    public boolean isActive(NavItem item) {
        return item.path().equals(active);
    }
}
