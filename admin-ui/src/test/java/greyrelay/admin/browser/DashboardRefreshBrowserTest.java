package greyrelay.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard keeps itself current: new decisions in the log show in the tiles (htmx) and the charts (fetch and
 * uPlot setData) without the page being loaded again; the legend names the series without "--" placeholders; no tile
 * label breaks "24 h" over two lines, at 1,280 px or on a phone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardRefreshBrowserTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;

    @BeforeAll
    static void start() {
        browser = HeadlessChrome.start(AdminBrowserTest.SCREENSHOTS);
        server = AdminServer.start(dir);
        decisions(3, Outcome.DEFERRED, "greylist");
        decisions(2, Outcome.ACCEPTED, "queue");
    }

    static void decisions(int n, Outcome outcome, String check) {
        Instant now = server.clock.instant();
        List<DecisionRecord> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new DecisionRecord(null, now.minusSeconds(60 + i), "mx1", "s" + i, "s" + i + ".1", "RCPT", check, outcome, false,
                    451, "4.7.1 Greylisted", "reason", "192.0.2." + (10 + i), "client.example.org", "jane@example.org", "bob@example.com",
                    null));
        }
        new DecisionLog(server.database).appendAll(rows);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    String url(String path) {
        return server.base + path;
    }

    String tile(String series) {
        return browser.find(".tile[data-series=" + series + "] .tile-value").getText();
    }

    @Test
    @Order(1)
    void logs_in() {
        browser.open(url("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(AdminServer.PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> !d.getCurrentUrl().contains("/login"));
    }

    @Test
    @Order(2)
    void new_decisions_show_in_tiles_and_charts_without_reloading_the_page() {
        browser.open(url("/?refresh=1"));
        browser.waitFor(d -> "true".equals(browser.find("#charts").getAttribute("data-ready")));
        assertThat(tile("greylisted")).isEqualTo("3");
        assertThat(browser.find("#chart-decisions-24h").getAttribute("data-total")).isEqualTo("5");
        assertThat(browser.find("#chart-decisions-24h .u-legend").getText()).contains("Greylisted").doesNotContain("--");
        browser.script("window.__samePage = 'yes'");

        decisions(4, Outcome.DEFERRED, "greylist");

        browser.waitFor(d -> tile("greylisted").equals("7"));
        browser.waitFor(d -> "9".equals(browser.find("#chart-decisions-24h").getAttribute("data-total")));
        assertThat(browser.find("#chart-decisions-7d").getAttribute("data-total")).isEqualTo("9");
        browser.waitFor(d -> browser.find("#tops td.num").getText().equals("7"));
        assertThat(browser.find("#tops a[href='/greylist?client=192.0.2.0%2F24']").getText()).isEqualTo("192.0.2.0/24");
        assertThat(browser.script("return window.__samePage")).as("the page was not loaded again").isEqualTo("yes");
        assertThat(browser.findAll("#charts canvas")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(browser.find("#chart-decisions-24h .u-legend").getText()).doesNotContain("--");
        browser.screenshot("dashboard-refreshed");
    }

    @Test
    @Order(3)
    void no_tile_breaks_24_h_over_two_lines() {
        for (int width : new int[] {1280, 390, 320}) {
            browser.resize(width, 900);
            try {
                browser.open(url("/"));
                browser.waitFor(d -> "true".equals(browser.find("#charts").getAttribute("data-ready")));
                @SuppressWarnings("unchecked")
                List<String> broken = (List<String>) browser.script("""
                        const bad = [];
                        document.querySelectorAll('.tile-label .nowrap').forEach(e => {
                          const r = document.createRange(); r.selectNodeContents(e);
                          const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
                          if (tops.size !== 1) bad.push(e.closest('.tile').textContent.trim());
                        });
                        return bad;""");
                assertThat(browser.findAll(".tile-label .nowrap")).hasSizeGreaterThanOrEqualTo(7);
                assertThat(broken).as("tiles whose \"24 h\" wraps at " + width + " px").isEmpty();
                browser.screenshot("dashboard-tiles-" + width);
            } finally {
                browser.resize(1280, 900);
            }
        }
    }
}
