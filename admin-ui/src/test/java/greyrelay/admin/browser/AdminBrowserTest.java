package greyrelay.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TripletKey;
import java.nio.file.Files;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The panel in headless Chromium: log in, hostile remote text shown as text with no script run, the dashboard's charts
 * drawn, no CSP violation on any page, and a screenshot of each page in {@code target/screenshots/}. One browser and one
 * server for the class; the tests run in order (the first logs in).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String HOSTILE_HELO = "<script>window.__xss='helo'</script>";
    static final String LONG_SENDER = "quarterly.financial.reports.distribution-list@accounts-payable.subsidiary.example-holdings.co.uk";
    static final String LONG_HOST = "outbound-relay-17.eu-west.mailout.subsidiary.example-holdings.co.uk";
    static final String HOSTILE_SENDER = "<img src=x onerror=\"window.__xss='sender'\">@example.net";

    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;

    @BeforeAll
    static void start() {
        browser = HeadlessChrome.start(SCREENSHOTS);
        server = AdminServer.start(dir);
        Instant now = server.clock.instant();
        List<DecisionRecord> rows = new ArrayList<>();
        String[] ips = {"192.0.2.10", "192.0.2.77", "198.51.100.20", "203.0.113.5"};
        for (int h = 0; h < 24; h++) {
            for (int i = 0; i <= h % 5; i++) {
                rows.add(row(now.minusSeconds(h * 3600L + i * 60L), Outcome.DEFERRED, "greylist", ips[i % 4], "client.example.org",
                        "sender" + i + "@example.org", 451, "4.7.1 Greylisted, please try again in 300 seconds"));
            }
            rows.add(row(now.minusSeconds(h * 3600L + 30), Outcome.ACCEPTED, "queue", "192.0.2.10", "client.example.org",
                    "jane@example.org", 250, "2.0.0 Ok: queued as 0ABC"));
            if (h % 3 == 0) {
                rows.add(row(now.minusSeconds(h * 3600L + 90), Outcome.REJECTED, "relay-domain", "203.0.113.5", "mail.example.net",
                        "spam@example.net", 554, "5.7.1 <x@example.net>: Relay access denied"));
            }
        }
        rows.add(row(now.minusSeconds(5), Outcome.REJECTED, "sender-verification", "198.51.100.66", HOSTILE_HELO, HOSTILE_SENDER, 550,
                "5.1.7 <script>window.__xss='reply'</script> undeliverable"));
        rows.add(row(now.minusSeconds(7), Outcome.DEFERRED, "greylist", "2001:db8:1234:5678:9abc:def0:1234:5678", LONG_HOST, LONG_SENDER, 451,
                "4.7.1 Greylisted, please try again in 300 seconds"));
        new DecisionLog(server.database).appendAll(rows);
        new GreylistStore(server.database).insertIfAbsent(new GreylistEntry(new TripletKey("2001:db8:1234:5678::/64", LONG_SENDER,
                "bob@example.com"), now.minusSeconds(60), now.minusSeconds(60), null, 1, now.plusSeconds(86400)));
        server.queue.add(FakeQueue.message("0EEE333FFF", LONG_SENDER, "bob@example.com", now.minusSeconds(300), null), "Subject: long\r\n");
        server.queue.add(FakeQueue.message("0AAA111BBB", "jane@example.org", "bob@example.com", now.minusSeconds(5400),
                "451 4.3.0 <bob@example.com>: mailbox busy, try later"), "Received: from client.example.org ([192.0.2.10])\r\n"
                + "\tby mx.example.com (greyrelay) with ESMTP id 0AAA111BBB\r\nFrom: Jane <jane@example.org>\r\nTo: bob@example.com\r\n"
                + "Subject: <script>alert('subject')</script> quarterly report\r\n");
        server.queue.add(FakeQueue.message("0CCC222DDD", "", "postmaster@example.com", now.minusSeconds(600), null), "Subject: DSN\r\n");
    }

    static DecisionRecord row(Instant at, Outcome outcome, String check, String ip, String helo, String sender, int code, String reply) {
        return new DecisionRecord(null, at, "mx1", "s" + at.getEpochSecond(), "s" + at.getEpochSecond() + ".1", "RCPT", check, outcome,
                false, code, reply, "reason", ip, helo, sender, "bob@example.com", null);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    String url(String path) {
        return server.base + path;
    }

    @Test
    @Order(1)
    void logs_in_and_lands_on_the_page_asked_for() {
        browser.open(url("/decisions"));
        browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(AdminServer.PASSWORD);
        browser.screenshot("login");
        browser.find("form[action='/login'] button[type=submit]").click();

        browser.waitFor(d -> d.getCurrentUrl().endsWith("/decisions"));
        assertThat(browser.find("h1").getText()).startsWith("Decisions");
        assertThat(browser.find(".account .who").getText()).isEqualTo("admin");
    }

    @Test
    @Order(2)
    void shows_hostile_helo_sender_and_reply_as_text_and_runs_no_script() {
        browser.open(url("/decisions?client=198.51.100.66"));

        WebElement table = browser.find("table.decisions");
        assertThat(table.getText()).contains(HOSTILE_HELO).contains(HOSTILE_SENDER).contains("<script>window.__xss='reply'</script>");
        assertThat(table.findElements(By.tagName("img"))).isEmpty();
        assertThat(table.findElements(By.tagName("script"))).isEmpty();
        assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
        browser.screenshot("decisions-hostile");

        browser.find("table.decisions tbody a[href^='/decisions/']").click();
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/decisions/\\d+$"));
        assertThat(browser.find(".facts").getText()).contains(HOSTILE_HELO);
        assertThat(browser.script("return window.__xss === undefined")).isEqualTo(true);
        browser.screenshot("decision-detail");
    }

    @Test
    @Order(3)
    void draws_the_dashboard_charts_from_the_decision_log() {
        browser.open(url("/"));

        browser.waitFor(d -> "true".equals(browser.find("#charts").getAttribute("data-ready")));
        List<WebElement> canvases = browser.findAll("#charts canvas");
        assertThat(canvases).hasSizeGreaterThanOrEqualTo(2);
        assertThat(canvases.get(0).getSize().getWidth()).isGreaterThan(200);
        assertThat(browser.findAll("#chart-decisions-24h .u-legend .u-series")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(browser.find(".tiles").getText()).contains("Greylisted, 24 h");
        browser.screenshot("dashboard");
    }

    @Test
    @Order(4)
    void searches_decisions_in_place_and_sorts_them_on_the_server_by_a_click() {
        browser.open(url("/decisions"));
        browser.find("input[name=sender]").sendKeys("spam@");
        browser.find("form.filters button[type=submit]").click();

        browser.waitFor(d -> d.getCurrentUrl().contains("sender=spam"));
        browser.waitFor(d -> browser.findAll("table.decisions tbody tr").stream().allMatch(r -> r.getText().contains("spam@example.net")));
        assertThat(browser.findAll("table.decisions thead th").get(0).getAttribute("aria-sort")).isEqualTo("descending");
        browser.find("table.decisions thead a[data-sort=time]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("sort=time&dir=asc") && d.getCurrentUrl().contains("sender=spam"));
        assertThat(browser.findAll("table.decisions thead th").get(0).getAttribute("aria-sort")).isEqualTo("ascending");
        List<String> times = browser.findAll("table.decisions tbody tr td:first-child").stream().map(WebElement::getText).toList();
        assertThat(times).isSorted();
        browser.screenshot("decisions-search");
    }

    @Test
    @Order(5)
    void every_page_renders_without_a_content_security_policy_violation() {
        browser.consoleMessages();
        for (String[] page : new String[][] {{"/", "dashboard-again"}, {"/queue", "queue"}, {"/queue/0AAA111BBB", "queue-message"},
                {"/audit", "audit"}, {"/settings", "settings"}, {"/access", "access"}, {"/decisions", "decisions"},
                {"/whitelists", "whitelists"}, {"/ratelimits", "ratelimits"}, {"/greylist", "greylist"},
                {"/greylist/clients", "greylist-clients"}, {"/spamtraps", "spamtraps"}}) {
            browser.open(url(page[0]));
            browser.waitFor(d -> browser.find("footer").isDisplayed());
            if (page[0].equals("/")) browser.waitFor(d -> "true".equals(browser.find("#charts").getAttribute("data-ready")));
            if (!page[1].equals("dashboard-again")) browser.screenshot(page[1]);
        }
        assertThat(browser.find("body").getText()).doesNotContain("Internal error");
        assertThat(browser.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));
    }

    @Test
    @Order(6)
    void the_queue_message_page_shows_hostile_headers_as_text() {
        browser.open(url("/queue/0AAA111BBB"));

        assertThat(browser.find("pre.headers").getText()).contains("Subject: <script>alert('subject')</script> quarterly report");
        assertThat(browser.script("return document.querySelectorAll('main script').length")).isEqualTo(0L);
    }

    @Test
    @Order(7)
    void is_readable_on_a_phone() {
        browser.resize(390, 844);
        try {
            browser.open(url("/decisions"));
            browser.screenshot("decisions-phone");
            browser.open(url("/"));
            browser.waitFor(d -> "true".equals(browser.find("#charts").getAttribute("data-ready")));
            browser.screenshot("dashboard-phone");
            Object overflow = browser.script("return document.documentElement.scrollWidth <= window.innerWidth + 1");
            assertThat(overflow).as("the page itself does not scroll sideways; wide tables scroll in their own box").isEqualTo(true);
        } finally {
            browser.resize(1280, 900);
        }
        assertThat(Files.exists(SCREENSHOTS.resolve("dashboard.png"))).isTrue();
    }

    /** Every address-like cell at 1,280 px: the text of each on one line (measured), a cut one with its full text in title=. */
    @Test
    @Order(8)
    void no_address_network_or_host_name_breaks_mid_word_at_1280_px() {
        browser.resize(1280, 900);
        for (String page : List.of("/decisions", "/greylist", "/queue")) {
            browser.open(url(page));
            browser.waitFor(d -> browser.find("footer").isDisplayed());
            @SuppressWarnings("unchecked")
            List<String> broken = (List<String>) browser.script("""
                    const bad = [];
                    document.querySelectorAll('td.addr a, td.addr code, td.addr .clip').forEach(e => {
                      const r = document.createRange(); r.selectNodeContents(e);
                      const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
                      if (tops.size > 1) bad.push(e.textContent);
                    });
                    return bad;""");
            assertThat(broken).as(page + ": cells whose text wraps onto a second line").isEmpty();
            @SuppressWarnings("unchecked")
            List<String> titles = (List<String>) browser.script("""
                    return [...document.querySelectorAll('td.addr .clip')].filter(e => e.scrollWidth > e.clientWidth)
                      .map(e => e.getAttribute('title'));""");
            assertThat(titles).as(page + ": a cut address keeps its full text in title=").contains(LONG_SENDER);
            assertThat(browser.script("return document.querySelectorAll('td.addr .clip').length")).as(page).isNotEqualTo(0L);
            browser.screenshot("clip" + page.replace('/', '-'));
        }
    }

    /** An action from a decision's page: asked first, done, shown at once, audited. */
    @Test
    @Order(9)
    void whitelists_the_sender_from_a_decisions_page_after_confirming() {
        browser.open(url("/decisions?sender=spam"));
        browser.find("table.decisions tbody a[href^='/decisions/']").click();
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/decisions/\\d+$"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*/", "");
        browser.screenshot("decision-actions");

        browser.find("button[data-action=whitelist-sender]").click();
        browser.waitFor(d -> org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent().apply(d)).accept();

        browser.waitFor(d -> d.getCurrentUrl().endsWith("/whitelists"));
        assertThat(browser.find("main").getText()).contains("Added sender spam@example.net.").contains("from decision " + id);
        browser.open(url("/audit"));
        assertThat(browser.find("main").getText()).contains("whitelist.add").contains("spam@example.net");
    }
}
