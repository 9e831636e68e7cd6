package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.db.admin.AuditEntry;
import greyrelay.db.admin.AuditLog;
import greyrelay.db.admin.AuditQuery;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * A real relay probes a hostile MX (HTML and script in its replies) when it first greylists a sender; its embedded
 * panel, in headless Chromium, shows that probe's transcript as text and runs nothing, verifies the address again
 * through the relay (a second connection to the MX), and forgets the cached verdict. Screenshots in
 * {@code relay/target/screenshots/}.
 */
class VerificationBrowserIT {
    static final String PASSWORD = "relay admin password";
    static final String SENDER = "mallory@hostile.example.net";
    static final String HOSTILE_REPLY = "250 <script>window.pwned=1</script><img src=x onerror=alert(1)>";

    @TempDir
    static Path dir;
    static RelayHarness h;
    static ScriptedMx mx;
    static HeadlessChrome browser;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChrome.start(Path.of("target", "screenshots"));
        mx = ScriptedMx.start().greeting("220 <b>mx.hostile.example.net</b> ESMTP").on("EHLO", "250 <i>hello</i>")
                .on("RCPT", HOSTILE_REPLY);
        Map<String, ScriptedMx> mxByIp = new ConcurrentHashMap<>(Map.of("192.0.2.66", mx));
        h = RelayHarness.start(dir, """
                smtp: {proxyProtocol: true}
                spf: {enabled: false}
                greylist: {defaultWhitelist: false}
                verification:
                  enabled: true
                  timeouts: {inlineConnect: 500ms, inlineReply: 1s, backgroundConnect: 1s, backgroundReply: 2s}
                admin:
                  password: "%s"
                """.formatted(PASSWORD), ScriptedMx.routing(mxByIp));
        h.dns.mx("hostile.example.net", 10, "mx.hostile.example.net").a("mx.hostile.example.net", "192.0.2.66");
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (h != null) h.close();
        if (mx != null) mx.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + h.relay.adminPort() + path;
    }

    static List<ProbeRecord> history() {
        return new ProbeLog(h.relay.database()).search(ProbeQuery.newest(10).withAddressContains(SENDER));
    }

    @Test
    void shows_the_hostile_transcript_as_text_verifies_again_through_the_relay_and_forgets_the_verdict() throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(Examples.CLIENT_IP, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + SENDER + ">").expect(250);
            assertThat(c.send("RCPT TO:<" + JOHN + ">").read().code()).as("greylisted; the probe starts in the background").isEqualTo(451);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> history().size() == 1);
        assertThat(mx.connections()).isEqualTo(1);

        browser.open(url("/verification?address=mallory"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("/verification?address=mallory"));
        browser.find("table.probes tbody a[href^='/verification/probes/']").click();
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/verification/probes/\\d+$"));

        String transcript = browser.find("pre.transcript").getText();
        assertThat(transcript).contains("S: 220 <b>mx.hostile.example.net</b> ESMTP").contains("S: 250 <i>hello</i>")
                .contains("C: RCPT TO:<" + SENDER + ">").contains("S: " + HOSTILE_REPLY).contains("C: QUIT")
                .doesNotContain("DATA");
        assertThat(browser.find("pre.transcript").findElements(By.cssSelector("script, img, b, i"))).isEmpty();
        assertThat(browser.script("return typeof window.pwned")).isEqualTo("undefined");
        assertThat(browser.find(".facts").getText()).contains("mx.hostile.example.net").contains("192.0.2.66")
                .contains("prefetch");
        browser.screenshot("relay-verification-probe-hostile");

        browser.find("button[data-action=reverify]").click();
        browser.waitFor(d -> d.getCurrentUrl().contains("notice=reverify-started"));
        assertThat(browser.find(".flash").getText()).contains("A fresh probe has started");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> history().size() == 2);
        assertThat(mx.connections()).as("verify again connected to the MX once more").isEqualTo(2);
        assertThat(history().getFirst().origin()).isEqualTo("ADMIN");

        browser.open(url("/verification?address=mallory"));
        assertThat(browser.findAll("table.probes tbody tr")).hasSize(2);
        assertThat(browser.find("table.probes").getText()).contains("ADMIN").contains("PREFETCH");
        assertThat(browser.script("return typeof window.pwned")).isEqualTo("undefined");
        browser.screenshot("relay-verification-history");

        browser.find("table.probes tbody a[href^='/verification/probes/']").click();
        browser.waitFor(d -> d.getCurrentUrl().matches(".*/verification/probes/\\d+$"));
        assertThat(new VerificationCache(h.relay.database()).find(CacheKind.SENDER, SENDER)).isPresent();
        browser.find("button[data-action=forget]").click();
        browser.driver.switchTo().alert().accept();
        browser.waitFor(d -> d.getCurrentUrl().contains("notice=forgotten"));
        assertThat(new VerificationCache(h.relay.database()).find(CacheKind.SENDER, SENDER)).isEmpty();

        assertThat(new AuditLog(h.relay.database()).search(new AuditQuery(null, "verification.", null, null, 10, 0)))
                .extracting(AuditEntry::action, AuditEntry::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("verification.forget", "sender " + SENDER),
                        org.assertj.core.groups.Tuple.tuple("verification.reverify", "sender " + SENDER));
    }
}
