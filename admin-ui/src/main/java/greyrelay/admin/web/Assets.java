package greyrelay.admin.web;

import org.webjars.WebJarVersionLocator;

/**
 * URLs of the front-end libraries, served from their webjars under {@code /webjars/<name>/<version>/}. The versions
 * come from the jars on the classpath (webjars-locator-lite), so a version bump in the pom is the only change.
 */
public record Assets(String htmx, String uplotJs, String uplotCss) {
    public static Assets fromClasspath() {
        WebJarVersionLocator locator = new WebJarVersionLocator();
        String htmx = require(locator.version("htmx.org"), "htmx.org");
        String uplot = require(locator.version("uplot"), "uplot");
        return new Assets("/webjars/htmx.org/" + htmx + "/dist/htmx.min.js",
                "/webjars/uplot/" + uplot + "/dist/uPlot.iife.min.js",
                "/webjars/uplot/" + uplot + "/dist/uPlot.min.css");
    }

    private static String require(String version, String name) {
        if (version == null) throw new IllegalStateException("webjar " + name + " is missing from the classpath");
        return version;
    }
}
