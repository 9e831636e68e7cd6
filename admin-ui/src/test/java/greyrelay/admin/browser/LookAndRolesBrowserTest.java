package greyrelay.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.auth.AdminAccounts;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.admin.AdminRole;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TripletKey;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Roles, time display and look in headless Chromium, over every page the app registers (its GET routes that answer
 * HTML, read from Javalin's router): a viewer sees every page without an action button; the dark theme applies under
 * {@code prefers-color-scheme: dark}; at 390 px no page scrolls sideways; focus is visible; the local-time choice
 * converts times and holds across logins. Screenshots of every page (light, dark, phone, viewer) go to
 * {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LookAndRolesBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String VIEWER_PASSWORD = "vera's own long password";
    static final String LONG_SENDER = "quarterly.financial.reports.distribution-list@accounts-payable.subsidiary.example-holdings.co.uk";
    static final String LONG_HOST = "outbound-relay-17.eu-west.mailout.subsidiary.example-holdings.co.uk";
    /** Not UTC and not a whole hour away from it, so a converted time cannot pass for the UTC one. */
    static final String ZONE = "Australia/Adelaide";

    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;
    static List<String> pages;

    @BeforeAll
    static void start() {
        browser = HeadlessChrome.start(SCREENSHOTS);
        server = AdminServer.start(dir);
        AdminAccounts.open(server.database, server.clock, AdminServer.NODE).add("vera", VIEWER_PASSWORD, AdminRole.VIEWER,
                new Actor("cli:root", null));
        Instant now = server.clock.instant();
        List<DecisionRecord> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            rows.add(new DecisionRecord(null, now.minusSeconds(i * 600L), "mx1", "s" + i, "s" + i + ".1", "RCPT", "greylist",
                    i % 3 == 0 ? Outcome.ACCEPTED : Outcome.DEFERRED, false, i % 3 == 0 ? 250 : 451, "4.7.1 Greylisted, please try again in 300 seconds",
                    "reason", i % 2 == 0 ? "2001:db8:1234:5678:9abc:def0:1234:5678" : "192.0.2." + i, LONG_HOST, i % 2 == 0 ? LONG_SENDER : "jane@example.org",
                    "bob@example.com", null));
        }
        new DecisionLog(server.database).appendAll(rows);
        new GreylistStore(server.database).insertIfAbsent(new GreylistEntry(new TripletKey("2001:db8:1234:5678::/64", LONG_SENDER,
                "bob@example.com"), now.minusSeconds(60), now.minusSeconds(60), null, 1, now.plusSeconds(86400)));
        server.queue.add(FakeQueue.message("0EEE333FFF", LONG_SENDER, "bob@example.com", now.minusSeconds(300),
                "451 4.3.0 <bob@example.com>: mailbox busy, try later"), "Subject: long\r\n");
        AdminServer.Session admin = server.login();
        assertThat(server.postForm("/whitelists", admin, Map.of("kind", "sender", "value", LONG_SENDER, "note", "partner")).statusCode()).isEqualTo(303);
        pages = htmlPages(admin);
    }

    /** Every GET route without a path parameter that answers an HTML page (not a download, not JSON). */
    static List<String> htmlPages(AdminServer.Session admin) {
        Set<String> skip = Set.of("/login", "/health", "/health/live", "/health/ready", "/metrics");
        List<String> out = server.app.unsafe.internalRouter.allHttpHandlers().stream().map(p -> p.endpoint)
                .filter(e -> e.method.name().equals("GET") && !e.path.contains("{") && !e.path.contains("<") && !e.path.startsWith("/api/")
                        && !skip.contains(e.path))
                .map(e -> e.path).distinct().filter(path -> {
                    HttpResponse<String> r = server.get(path, admin);
                    return r.statusCode() == 200 && r.headers().firstValue("Content-Type").orElse("").startsWith("text/html");
                }).sorted().toList();
        assertThat(out).contains("/", "/decisions", "/greylist", "/whitelists", "/queue", "/access", "/settings", "/audit", "/password");
        return out;
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    static String url(String path) {
        return server.base + path;
    }

    static String name(String path) {
        return path.equals("/") ? "dashboard" : path.substring(1).replace('/', '-');
    }

    static void login(String user, String password) {
        browser.driver.manage().deleteAllCookies();
        browser.open(url("/login"));
        browser.find("input[name=username]").sendKeys(user);
        browser.find("input[name=password]").sendKeys(password);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> !d.getCurrentUrl().contains("/login"));
    }

    static void cdp(String command, Map<String, Object> parameters) {
        ((ChromeDriver) browser.driver).executeCdpCommand(command, parameters);
    }

    static void darkScheme(boolean dark) {
        cdp("Emulation.setEmulatedMedia", Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", dark ? "dark" : "light"))));
    }

    static String background(String css) {
        return (String) browser.script("return getComputedStyle(document.querySelector('" + css + "')).backgroundColor");
    }

    @Test
    @Order(1)
    void a_viewer_reads_every_page_without_an_action_button() {
        login("vera", VIEWER_PASSWORD);
        browser.consoleMessages();
        browser.open(url("/decisions"));
        String decision = browser.find("table tbody a[href^='/decisions/']").getAttribute("href").replace(server.base, "");
        List<String> all = new ArrayList<>(pages);
        // detail pages with actions of their own (a decision's, a queued message's)
        all.add(decision);
        all.add("/queue/0EEE333FFF");
        for (String page : all) {
            browser.open(url(page));
            assertThat(browser.find("h1").getText()).as(page).isNotBlank();
            assertThat(browser.find(".account .role-viewer").getText()).isEqualTo("viewer");
            List<String> visible = new ArrayList<>();
            for (WebElement b : browser.findAll("main button, main [hx-post], main [hx-put], main [hx-delete], main [hx-patch], main input[type=submit]")) {
                if (!b.isDisplayed()) continue;
                WebElement form = b.findElements(By.xpath("ancestor::form")).stream().findFirst().orElse(null);
                boolean harmless = form != null && ("get".equalsIgnoreCase(form.getAttribute("method"))
                        || form.getAttribute("class").contains("self-service"));
                if (!harmless) visible.add(b.getText() + " in " + (form == null ? "no form" : form.getAttribute("action")));
            }
            assertThat(visible).as("action buttons a viewer sees on " + page).isEmpty();
            browser.screenshot("viewer-" + name(page.startsWith("/decisions/") ? "/decision-detail" : page));
        }
        assertThat(browser.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy"));
    }

    @Test
    @Order(2)
    void a_viewer_who_forces_an_action_gets_the_403_page() {
        browser.open(url("/whitelists"));
        browser.script("var f = document.querySelector('form[method=post]:not(.self-service)'); f.style.display = 'block';"
                + " HTMLFormElement.prototype.submit.call(f);");
        browser.waitFor(d -> browser.find("h1").getText().startsWith("Refused"));
        assertThat(browser.find("main").getText()).contains("your role is viewer, and this needs the admin role");
        browser.screenshot("viewer-refused");
    }

    @Test
    @Order(3)
    void every_page_at_1280_px_in_light_and_dark_with_the_dark_theme_under_prefers_color_scheme_dark() {
        login("admin", AdminServer.PASSWORD);
        for (String page : pages) {
            browser.open(url(page));
            assertThat((Long) browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                    .as("sideways scroll at 1,280 px on " + page).isLessThanOrEqualTo(0L);
            darkScheme(false);
            assertThat(background("body")).as(page).isEqualTo("rgb(246, 247, 249)");
            browser.screenshot("light-" + name(page));
            darkScheme(true);
            assertThat(browser.script("return matchMedia('(prefers-color-scheme: dark)').matches")).isEqualTo(true);
            assertThat(background("body")).as(page).isEqualTo("rgb(16, 21, 28)");
            assertThat(browser.script("return getComputedStyle(document.body).color")).isEqualTo("rgb(226, 231, 238)");
            if (!browser.findAll(".card").isEmpty()) assertThat(background(".card")).as(page).isEqualTo("rgb(25, 32, 42)");
            browser.screenshot("dark-" + name(page));
        }
        darkScheme(false);
    }

    @Test
    @Order(4)
    void no_page_scrolls_sideways_on_a_390_px_phone_and_the_navigation_wraps() {
        try {
            browser.resize(390, 844);
            for (String page : pages) {
                browser.open(url(page));
                long viewport = (Long) browser.script("return document.documentElement.clientWidth");
                long content = (Long) browser.script("return document.documentElement.scrollWidth");
                assertThat(content).as("page width at 390 px of " + page + " (viewport " + viewport + ")").isLessThanOrEqualTo(viewport);
                Number navRight = (Number) browser.script("return document.querySelector('.nav').getBoundingClientRect().right");
                assertThat(navRight.doubleValue()).as(page).isLessThanOrEqualTo(viewport);
                browser.screenshot("phone-" + name(page));
            }
            browser.open(url("/decisions"));
            Number navHeight = (Number) browser.script("return document.querySelector('.nav').getBoundingClientRect().height");
            assertThat(navHeight.doubleValue()).as("the navigation wraps onto several lines").isGreaterThan(40);
        } finally {
            browser.resize(1280, 900);
        }
    }

    @Test
    @Order(5)
    void the_keyboard_focus_is_visible() {
        browser.open(url("/decisions"));
        browser.find("body").sendKeys(Keys.TAB);
        assertThat(browser.script("return document.activeElement.className")).isEqualTo("skip");
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        assertThat(browser.script("return document.activeElement.getBoundingClientRect().left >= 0")).isEqualTo(true);
        browser.screenshot("focus-skip-link");
        browser.find("body").sendKeys(Keys.TAB);
        browser.find("body").sendKeys(Keys.TAB);
        assertThat(browser.script("return getComputedStyle(document.activeElement).outlineStyle")).isEqualTo("solid");
        assertThat(browser.script("return parseFloat(getComputedStyle(document.activeElement).outlineWidth)")).isEqualTo(3L);
    }

    @Test
    @Order(6)
    void serves_a_favicon() {
        browser.open(url("/"));
        assertThat(browser.find("link[rel=icon]").getAttribute("href")).endsWith("/static/favicon.svg");
        HttpResponse<String> icon = server.get("/static/favicon.svg");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
        assertThat(icon.body()).startsWith("<svg");
    }

    @Test
    @Order(7)
    void local_time_is_shown_in_the_browsers_zone_and_remembered_across_logins() {
        cdp("Emulation.setTimezoneOverride", Map.of("timezoneId", ZONE));
        try {
            login("vera", VIEWER_PASSWORD);
            browser.open(url("/decisions"));
            WebElement first = browser.find("main time[datetime]");
            Instant at = Instant.parse(first.getAttribute("datetime"));
            String utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("UTC")).format(at);
            String local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of(ZONE)).format(at);
            assertThat(first.getText()).isEqualTo(utc);
            assertThat(browser.find(".foot").getText()).contains("times in UTC");

            browser.find(".time-toggle button").click();
            browser.waitFor(d -> "local".equals(browser.find("html").getAttribute("data-time")));
            assertThat(browser.driver.getCurrentUrl()).endsWith("/decisions");
            assertThat(browser.find("main time[datetime]").getText()).isEqualTo(local);
            assertThat(browser.find("main time[datetime]").getAttribute("title")).isEqualTo(utc + " UTC");
            assertThat(browser.find(".foot").getText()).contains("times in local time (" + ZONE + ")");
            browser.screenshot("local-time");

            browser.find("form.logout button").click();
            browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
            login("vera", VIEWER_PASSWORD);
            browser.open(url("/decisions"));
            assertThat(browser.find("main time[datetime]").getText()).as("still local after logging in again").isEqualTo(local);
            assertThat(server.parse(server.get("/api/me", server.login("vera", VIEWER_PASSWORD))).path("localTime").asBoolean()).isTrue();
            browser.open(url("/"));
            browser.waitFor(d -> Boolean.TRUE.equals(browser.script("return document.querySelector('#chart-decisions-24h .u-legend') !== null")));
            assertThat(browser.find("#chart-decisions-24h figcaption").getText()).as("the dashboard's time axes follow the choice")
                    .endsWith("(local time)");
            browser.open(url("/decisions"));

            browser.find(".time-toggle button").click();
            browser.waitFor(d -> "utc".equals(browser.find("html").getAttribute("data-time")));
            assertThat(browser.find("main time[datetime]").getText()).isEqualTo(utc);
        } finally {
            cdp("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        }
    }
}
