package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The whitelist, greylist, rate-limit and spamtrap pages of a real relay's embedded panel in headless Chromium: a client
 * whitelisted in the panel is accepted at once without greylisting (the relay's own refresh is an hour here, so only the
 * panel's notice explains it); hostile text, from an SMTP envelope and typed into the panel, is shown as text and never
 * runs. Screenshots of each page in {@code relay/target/screenshots/}, one at phone width.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPagesBrowserIT {
    static final String PASSWORD = "relay admin password";
    static final String TRAP = "trap@example.com";
    static final String TITLE_SCRIPT = "<script>document.title='pwned'</script>";
    static final String HOSTILE_NOTE = "<img src=x onerror=\"document.title='pwned'\">" + TITLE_SCRIPT;

    @TempDir
    static Path dir;
    static RelayHarness h;
    static HeadlessChrome browser;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChrome.start(Path.of("target", "screenshots"));
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  whitelistRefresh: 1h
                  spamtraps: [%s]
                verification:
                  enabled: false
                spf:
                  enabled: false
                admin:
                  password: "%s"
                """.formatted(TRAP, PASSWORD));
        browser.open(url("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (h != null) h.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + h.relay.adminPort() + path;
    }

    /** One transaction up to the RCPT reply (and DATA when it was accepted); returns the RCPT reply line. */
    static String send(String ip, String sender, String recipient) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(ip, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + sender + ">").expect(250);
            String reply = c.send("RCPT TO:<" + recipient + ">").read().last();
            if (reply.startsWith("250")) c.data(Examples.message("whitelisted in the panel")).last();
            c.send("QUIT");
            return reply;
        }
    }

    static void addWhitelistEntry(String kind, String value, String note) {
        browser.open(url("/whitelists"));
        new Select(browser.find("#add select[name=kind]")).selectByValue(kind);
        browser.find("#add input[name=value]").sendKeys(value);
        browser.find("#add input[name=note]").sendKeys(note);
        browser.find("#add button[type=submit]").click();
        browser.waitFor(d -> browser.find("main").getText().contains("Added "));
    }

    @Test
    @Order(1)
    void a_client_whitelisted_in_the_panel_is_accepted_at_once_without_being_greylisted() throws Exception {
        assertThat(send("192.0.2.10", JANE, "before@example.com")).as("greylisting is on").startsWith("451 4.7.1 Greylisted");

        addWhitelistEntry("client_address", "192.0.2.10", "partner relay");
        assertThat(browser.find("main").getText()).contains("Added client address 192.0.2.10.");
        WebElement row = browser.waitFor(d -> browser.findAll("table.whitelist tbody tr").stream().findFirst().orElse(null));
        assertThat(row.getText()).contains("client address").contains("192.0.2.10").contains("partner relay");
        browser.screenshot("relay-whitelists");

        assertThat(send("192.0.2.10", JANE, "after@example.com")).startsWith("250");
        h.deliverDue();
        assertThat(h.downstream.receivedFor("after@example.com")).hasSize(1);
        browser.open(url("/audit?action=whitelist."));
        assertThat(browser.find("table").getText()).contains("whitelist.add").contains("client address 192.0.2.10");
    }

    @Test
    @Order(2)
    void hostile_text_from_an_envelope_and_from_a_form_is_shown_as_text_and_never_runs() throws Exception {
        String sender = "\"" + TITLE_SCRIPT + "\"@example.org";
        assertThat(send("198.51.100.20", sender, "victim@example.com")).startsWith("451 4.7.1 Greylisted");
        addWhitelistEntry("recipient", "victim@example.com", HOSTILE_NOTE);

        browser.open(url("/whitelists?q=victim"));
        WebElement note = browser.waitFor(d -> browser.find("table.whitelist tbody tr td.reply"));
        assertThat(note.getText()).isEqualTo(HOSTILE_NOTE);
        assertThat(browser.findAll("main img")).isEmpty();
        assertThat(browser.driver.getTitle()).isEqualTo("Whitelists · greyrelay");

        browser.open(url("/greylist?client=198.51.100.20"));
        WebElement row = browser.waitFor(d -> browser.findAll("table.greylist tbody tr").stream().findFirst().orElse(null));
        assertThat(row.getText()).contains("198.51.100.0/24").contains(TITLE_SCRIPT).contains("greylisted");
        assertThat(browser.driver.getTitle()).isEqualTo("Greylist · greyrelay");
        assertThat(browser.find("#results").getText()).contains("Showing the client network 198.51.100.0/24");
        browser.screenshot("relay-greylist");

        row.findElement(By.cssSelector("button[data-action=pass]")).click();
        browser.waitFor(d -> browser.find("main").getText().contains("passed: it is let through from now on."));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/greylist?client=198.51.100.20");
        assertThat(browser.find("table.greylist tbody tr").getText()).contains("passed");
        assertThat(send("198.51.100.20", sender, "victim@example.com")).as("passed in the panel").startsWith("250");
    }

    @Test
    @Order(3)
    void a_rate_limit_override_is_added_and_edited_in_the_panel() {
        browser.open(url("/ratelimits"));
        assertThat(browser.find("#defaults").getText()).contains("per client address").contains("60");
        new Select(browser.find("#add select[name=kind]")).selectByValue("client");
        browser.find("#add input[name=match]").sendKeys("192.0.2.0/24");
        browser.find("#add input[name=connectionsPerMinute]").sendKeys("600");
        browser.find("#add input[name=note]").sendKeys("partner network");
        browser.find("#add button[type=submit]").click();
        browser.waitFor(d -> browser.find("main").getText().contains("Override for client 192.0.2.0/24 added."));
        assertThat(browser.find("table.overrides tbody tr").getText()).contains("192.0.2.0/24").contains("600").contains("default");
        browser.screenshot("relay-ratelimits");

        browser.find("table.overrides tbody tr a.button").click();
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/ratelimits/[0-9]+$"));
        WebElement messages = browser.find("input[name=messagesPerHour]");
        messages.sendKeys("0");
        browser.screenshot("relay-ratelimit-edit");
        browser.find("form[action^='/ratelimits/'] button[type=submit]").click();
        browser.waitFor(d -> browser.find("main").getText().contains("Override for client 192.0.2.0/24 saved."));
        assertThat(browser.find("table.overrides tbody tr").getText()).contains("no limit");
        assertThat(h.relay.rateLimitOverrides().current().size()).isEqualTo(1);
    }

    @Test
    @Order(4)
    void a_client_that_hit_a_spamtrap_is_listed_with_its_reason_and_unblocked_in_the_panel() throws Exception {
        assertThat(send("203.0.113.9", JANE, TRAP)).startsWith("451 4.7.1 Client host [203.0.113.9] temporarily blocked");
        assertThat(send("203.0.113.9", JANE, "anyone@example.com")).startsWith("451 4.7.1 Client host [203.0.113.9] temporarily blocked");

        browser.open(url("/spamtraps"));
        assertThat(browser.find("#traps").getText()).contains(TRAP);
        WebElement row = browser.waitFor(d -> browser.findAll("table.blocks tbody tr").stream().findFirst().orElse(null));
        assertThat(row.getText()).contains("203.0.113.0/24").contains("sent to spamtrap <" + TRAP + ">");
        browser.screenshot("relay-spamtraps");

        browser.script("window.confirm = function () { return true; };");
        row.findElement(By.cssSelector("button[data-action=unblock]")).click();
        browser.waitFor(d -> browser.find("main").getText().contains("Unblocked 203.0.113.0/24."));
        assertThat(browser.find("main").getText()).contains("No client is blocked");
        assertThat(send("203.0.113.9", JANE, "anyone@example.com")).startsWith("451 4.7.1 Greylisted");
    }

    @Test
    @Order(5)
    void the_auto_whitelist_page_and_the_whitelists_on_a_phone() {
        browser.open(url("/greylist/clients"));
        assertThat(browser.find("main").getText()).contains("No auto-whitelisted network");
        browser.screenshot("relay-greylist-clients");

        browser.resize(390, 844);
        try {
            browser.open(url("/whitelists"));
            assertThat(browser.find("table.whitelist").isDisplayed()).isTrue();
            Object overflow = browser.script("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as("the page itself does not scroll sideways").isLessThanOrEqualTo(0);
            browser.screenshot("relay-whitelists-phone");
        } finally {
            browser.resize(1280, 900);
        }
        assertThat(browser.consoleMessages()).noneMatch(m -> m.contains("Content Security Policy"));
    }
}
