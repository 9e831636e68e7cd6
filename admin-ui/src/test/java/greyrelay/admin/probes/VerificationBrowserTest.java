package greyrelay.admin.probes;

import static greyrelay.admin.probes.ProbeFixtures.HOSTILE_REPLY;
import static greyrelay.admin.probes.ProbeFixtures.MALLORY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.FakeQueue;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.Database;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import java.nio.file.Path;
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
 * The verification pages in headless Chromium: a probe whose transcript holds HTML and script from a hostile MX is shown
 * as text and runs nothing; the history searches in place and sorts; forgetting a verdict from the page works; no CSP
 * violation anywhere; screenshots in {@code target/screenshots/verification-*.png}. Tests run in order (the first logs in).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerificationBrowserTest {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;
    static List<ProbeRecord> probes;

    @BeforeAll
    static void start() {
        browser = HeadlessChrome.start(SCREENSHOTS);
        Database db = TestDatabases.h2(dir);
        server = AdminServer.start(db, true, AdminServer.settings(), new FakeQueue(),
                b -> b.verification(new VerificationPageTest.FakeOperations(db)));
        probes = ProbeFixtures.seed(db, server.clock.instant());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    static String url(String path) {
        return server.base + path;
    }

    static String hostileProbe() {
        return "/verification/probes/" + ProbeFixtures.byAddress(probes, MALLORY, false).id();
    }

    @Test
    @Order(1)
    void shows_a_hostile_mxs_transcript_as_text_and_runs_none_of_its_script() {
        browser.open(url(hostileProbe()));
        browser.waitFor(d -> d.getCurrentUrl().contains("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(AdminServer.PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> d.getCurrentUrl().endsWith(hostileProbe()));

        WebElement transcript = browser.find("pre.transcript");
        assertThat(transcript.getText()).contains("S: " + HOSTILE_REPLY).contains("C: RCPT TO:<" + MALLORY + ">")
                .contains("S: 220 <b>mx.hostile.example.net</b> ESMTP").contains("</pre><script>window.pwned=2</script>")
                .contains("\\u202Eevil\\x07");
        assertThat(browser.find("main").getText()).contains("<script>alert('cache')</script>");
        assertThat(transcript.findElements(By.cssSelector("script, img, b"))).isEmpty();
        assertThat(browser.findAll("main script, main img")).isEmpty();
        assertThat(browser.script("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(browser.find(".facts").getText()).contains("mx.hostile.example.net").contains("192.0.2.66").contains("2500 ms");
        assertThat(browser.find("#cache-state").getText()).contains("invalid").contains("Expires");
        browser.resize(1280, 1900);
        try {
            browser.screenshot("verification-probe-hostile");
        } finally {
            browser.resize(1280, 900);
        }
    }

    @Test
    @Order(2)
    void searches_the_history_in_place_sorts_it_and_marks_cache_answers() {
        browser.open(url("/verification"));
        // cache answers hidden by default; one click shows them
        assertThat(browser.findAll("table.probes tbody tr")).hasSize(3);
        assertThat(browser.findAll("table.probes tbody tr.cache-hit")).isEmpty();
        assertThat(browser.script("""
                const s = document.querySelector('select[name=source]');
                const c = document.createElement('canvas').getContext('2d');
                c.font = getComputedStyle(s).font;
                return Math.max(...[...s.options].map(o => c.measureText(o.text).width)) + 24 <= s.clientWidth;"""))
                .as("the source filter is wide enough for its longest option").isEqualTo(true);
        browser.find("a[data-action=show-cache]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("source=all"));
        assertThat(browser.findAll("table.probes tbody tr")).hasSize(4);
        assertThat(browser.findAll("table.probes tbody tr.cache-hit")).hasSize(1);
        browser.screenshot("verification-history");

        browser.find("input[name=domain]").sendKeys("example.org");
        browser.find("form.filters button[type=submit]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("domain=example.org"));
        browser.waitFor(d -> browser.findAll("table.probes tbody tr").size() == 2);

        browser.find("table.probes thead a[data-sort=duration]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("sort=slowest") && d.getCurrentUrl().contains("domain=example.org"));
        assertThat(browser.findAll("table.probes thead th").get(6).getAttribute("aria-sort")).isEqualTo("descending");
        List<String> durations = browser.findAll("table.probes tbody tr td.num").stream().map(WebElement::getText).toList();
        assertThat(durations).containsExactly("420 ms", "–");
        browser.screenshot("verification-history-search");
    }

    @Test
    @Order(3)
    void shows_domain_profiles_and_one_domain() {
        browser.open(url("/verification/domains"));
        assertThat(browser.find("table.domains").getText()).contains("hostile.example.net").contains("example.org");
        browser.screenshot("verification-domains");

        browser.find("table.domains a[href='/verification/domains/hostile.example.net']").click();
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/verification/domains/hostile.example.net"));
        assertThat(browser.find("table.profile").getText()).contains("Greylists our probes").contains("in force")
                .contains("Refuses the null sender").contains("expired");
        assertThat(browser.find("table.cached").getText()).contains(MALLORY);
        assertThat(browser.script("return typeof window.pwned")).isEqualTo("undefined");
        browser.screenshot("verification-domain");
    }

    @Test
    @Order(4)
    void forgets_a_cached_verdict_from_the_probe_page_after_confirming() {
        browser.open(url(hostileProbe()));
        browser.find("button[data-action=forget]").click();
        browser.driver.switchTo().alert().accept();

        browser.waitFor(d -> d.getCurrentUrl().contains("notice=forgotten"));
        assertThat(browser.find(".flash").getText()).contains("The cached verdict is forgotten");
        assertThat(browser.find("#cache-state").getText()).contains("Nothing is cached for this address");
        assertThat(new VerificationCache(server.database).find(CacheKind.SENDER, MALLORY)).isEmpty();
        assertThat(new AuditLog(server.database).search(new AuditQuery(null, "verification.forget", null, null, 10, 0)))
                .extracting(AuditEntry::target).containsExactly("sender " + MALLORY);
        browser.screenshot("verification-probe-forgotten");
    }

    @Test
    @Order(5)
    void renders_every_verification_page_without_a_content_security_policy_violation_and_fits_a_phone() {
        browser.consoleMessages();
        for (String path : List.of("/verification", hostileProbe(), "/verification/domains", "/verification/domains/example.org")) {
            browser.open(url(path));
            browser.waitFor(d -> browser.find("footer").isDisplayed());
        }
        assertThat(browser.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));

        browser.resize(390, 844);
        try {
            browser.open(url(hostileProbe()));
            browser.screenshot("verification-probe-phone");
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth + 1"))
                    .as("the page does not scroll sideways; the transcript wraps").isEqualTo(true);
            browser.open(url("/verification"));
            browser.screenshot("verification-history-phone");
            assertThat(browser.script("return document.documentElement.scrollWidth <= window.innerWidth + 1")).isEqualTo(true);
        } finally {
            browser.resize(1280, 900);
        }
    }
}
