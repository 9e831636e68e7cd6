package greyrelay.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.probes.Reverify;
import greyrelay.admin.probes.VerificationOperations;
import greyrelay.admin.testing.AdminServer;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.verify.CacheKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Acting where you look: from one greylisted decision's page, pass its triplet, verify its sender now and unblock its
 * network (blocked by a spamtrap hit). Each asks first (the browser's confirm, opened by app.js), lands back on the same
 * page showing the new state, and leaves an audit row naming the user. The queue id in an accepted decision's reply
 * links to the queue message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DecisionActionsBrowserTest {
    @TempDir
    static Path dir;
    static AdminServer server;
    static HeadlessChrome browser;
    static final List<String> probes = new CopyOnWriteArrayList<>();
    static long greylisted;
    static long accepted;

    @BeforeAll
    static void start() {
        browser = HeadlessChrome.start(AdminBrowserTest.SCREENSHOTS);
        server = AdminServer.start(dir, AdminServer.settings(), b -> b.verification(new VerificationOperations() {
            @Override
            public Reverify reverify(CacheKind kind, String address) {
                probes.add(kind + " " + address);
                return new Reverify.Started();
            }

            @Override
            public boolean forget(CacheKind kind, String address) {
                return false;
            }
        }));
        Instant now = server.clock.instant();
        DecisionLog log = new DecisionLog(server.database);
        log.appendAll(List.of(
                new DecisionRecord(null, now.minusSeconds(120), "mx1", "s1", "s1.1", "RCPT", "greylist", Outcome.DEFERRED, false, 451,
                        "4.7.1 Greylisted, please try again in 300 seconds", "first sight", "192.0.2.10", "client.example.org",
                        "Jane@Example.org", "bob@example.com", null),
                new DecisionRecord(null, now.minusSeconds(60), "mx1", "s2", "s2.1", "DATA", "queue", Outcome.ACCEPTED, false, 250,
                        "2.0.0 Ok: queued as 0MH2X5K3A7Q9ZP", "queued", "198.51.100.20", "mail.example.net", "john@example.net",
                        "mary@example.com", "0MH2X5K3A7Q9ZP")));
        List<DecisionRecord> rows = log.search(DecisionQuery.newest(10));
        accepted = rows.get(0).id();
        greylisted = rows.get(1).id();
        new GreylistStore(server.database).insertIfAbsent(new GreylistEntry(new TripletKey("192.0.2.0/24", "jane@example.org",
                "bob@example.com"), now.minusSeconds(120), now.minusSeconds(120), null, 1, now.plus(Duration.ofDays(1))));
        new TrapBlockStore(server.database).block(new TrapBlock("192.0.2.0/24", now.minusSeconds(600), now.plus(Duration.ofHours(6)), 1,
                "192.0.2.10", "jane@example.org", "trap@example.com", "sent to spamtrap <trap@example.com>"));
        server.queue.add(greyrelay.admin.testing.FakeQueue.message("0MH2X5K3A7Q9ZP", "john@example.net", "mary@example.com",
                now.minusSeconds(60), null), "Subject: hello\r\n");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
    }

    String url(String path) {
        return server.base + path;
    }

    /** Clicks the action's button, accepts the confirm, and waits for the decision's page again. */
    void act(String action) {
        browser.open(url("/decisions/" + greylisted));
        browser.find("button[data-action=" + action + "]").click();
        browser.waitFor(ExpectedConditions.alertIsPresent()::apply).accept();
        browser.waitFor(d -> browser.findAll("button[data-action=" + action + "]").isEmpty()
                || d.getCurrentUrl().contains("notice="));
        assertThat(browser.driver.getCurrentUrl()).contains("/decisions/" + greylisted);
    }

    String auditText() {
        browser.open(url("/audit"));
        return browser.find("main").getText();
    }

    /** The audit row of an action as "who | action | target". */
    String auditRow(String action) {
        browser.open(url("/audit?action=" + action));
        List<org.openqa.selenium.WebElement> cells = browser.find("table.audit tbody tr").findElements(org.openqa.selenium.By.tagName("td"));
        return cells.get(1).getText() + " | " + cells.get(2).getText() + " | " + cells.get(3).getText();
    }

    @Test
    @Order(1)
    void logs_in_and_sees_the_actions_the_facts_allow() {
        browser.open(url("/login"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(AdminServer.PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> !d.getCurrentUrl().contains("/login"));

        browser.open(url("/decisions/" + greylisted));
        assertThat(browser.find("#triplet-state [data-state]").getAttribute("data-state")).isEqualTo("greylisted");
        assertThat(browser.find("#block-state [data-state]").getAttribute("data-state")).isEqualTo("blocked");
        assertThat(browser.findAll("#actions button[data-action]")).extracting(e -> e.getAttribute("data-action"))
                .containsExactly("pass-triplet", "verify-sender", "unblock-network", "whitelist-network", "whitelist-sender",
                        "whitelist-recipient");
        browser.screenshot("decision-all-actions");
    }

    @Test
    @Order(2)
    void a_cancelled_confirm_changes_nothing() {
        browser.open(url("/decisions/" + greylisted));
        browser.find("button[data-action=pass-triplet]").click();
        browser.waitFor(ExpectedConditions.alertIsPresent()::apply).dismiss();
        assertThat(browser.find("#triplet-state [data-state]").getAttribute("data-state")).isEqualTo("greylisted");
        assertThat(auditText()).doesNotContain("greylist.pass");
    }

    @Test
    @Order(3)
    void passes_the_triplet_shows_it_passed_and_audits_it() {
        act("pass-triplet");
        assertThat(browser.find("#triplet-state [data-state]").getAttribute("data-state")).isEqualTo("passed");
        assertThat(browser.find("main").getText()).contains("passed: it is let through from now on");
        assertThat(auditRow("greylist.pass")).isEqualTo("admin | greylist.pass | (192.0.2.0/24, jane@example.org, bob@example.com)");
    }

    @Test
    @Order(4)
    void verifies_the_sender_now_and_audits_it() {
        act("verify-sender");
        assertThat(probes).containsExactly("SENDER jane@example.org");
        assertThat(browser.find("main").getText()).contains("A fresh probe of the sender has started");
        assertThat(auditRow("verification.reverify")).isEqualTo("admin | verification.reverify | sender jane@example.org");
    }

    @Test
    @Order(5)
    void unblocks_the_network_shows_it_unblocked_and_audits_it() {
        act("unblock-network");
        assertThat(browser.find("#block-state [data-state]").getAttribute("data-state")).isEqualTo("not-blocked");
        assertThat(browser.find("main").getText()).contains("Unblocked 192.0.2.0/24.");
        assertThat(auditRow("spamtrap.unblock")).isEqualTo("admin | spamtrap.unblock | 192.0.2.0/24");
        browser.open(url("/decisions/" + greylisted));
        assertThat(browser.findAll("#actions button[data-action]")).extracting(e -> e.getAttribute("data-action"))
                .containsExactly("verify-sender", "whitelist-network", "whitelist-sender", "whitelist-recipient");
        browser.screenshot("decision-after-actions");
    }

    @Test
    @Order(6)
    void a_queue_id_in_a_reply_links_to_the_queue_message() {
        browser.open(url("/decisions?outcome=accepted"));
        browser.find("table.decisions a.queue-id").click();
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/queue/0MH2X5K3A7Q9ZP"));
        browser.open(url("/decisions/" + accepted));
        assertThat(browser.find(".facts a.queue-id").getAttribute("href")).endsWith("/queue/0MH2X5K3A7Q9ZP");
    }
}
