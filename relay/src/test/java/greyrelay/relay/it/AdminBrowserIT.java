package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.admin.auth.ControlToken;
import greyrelay.admin.testing.HeadlessChrome;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/**
 * The embedded panel of a real relay, in headless Chromium: a message the downstream deferred is retried from the queue
 * page and delivered, without moving the clock. Screenshots in {@code relay/target/screenshots/}.
 */
class AdminBrowserIT {
    static final String PASSWORD = "relay admin password";

    @TempDir
    static Path dir;
    static RelayHarness h;
    static HeadlessChrome browser;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChrome.start(Path.of("target", "screenshots"));
        h = RelayHarness.start(dir, """
                greylist:
                  enabled: false
                verification:
                  enabled: false
                admin:
                  password: "%s"
                """.formatted(PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (h != null) h.close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + h.relay.adminPort() + path;
    }

    /** One message to JOHN, whose mailbox answers 451 on the first attempt. */
    static String deferredMessage() throws Exception {
        h.downstream.replyToRecipient(JOHN, "451 4.2.1 mailbox busy, try later");
        String id;
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            String reply = c.data(Examples.message("retry me from the panel")).last();
            id = reply.substring(reply.lastIndexOf(' ') + 1);
        }
        h.deliverDue();
        return id;
    }

    @Test
    void retries_a_deferred_message_from_the_queue_page_and_it_is_delivered() throws Exception {
        String id = deferredMessage();
        assertThat(h.relay.queue().list()).hasSize(1);

        browser.open(url("/queue"));
        browser.find("input[name=username]").sendKeys("admin");
        browser.find("input[name=password]").sendKeys(PASSWORD);
        browser.find("form[action='/login'] button[type=submit]").click();
        browser.waitFor(d -> d.getCurrentUrl().endsWith("/queue"));
        WebElement row = browser.waitFor(d -> browser.findAll("table.queue tbody tr").stream().findFirst().orElse(null));
        assertThat(row.getText()).contains(id).contains(JANE).contains("451 4.2.1 mailbox busy");
        browser.screenshot("relay-queue-deferred");

        h.downstream.replyToRecipient(JOHN, null);
        row.findElement(org.openqa.selenium.By.cssSelector("button[data-action=retry]")).click();

        browser.waitFor(d -> h.downstream.receivedFor(JOHN).stream().anyMatch(r -> r.text().contains("retry me from the panel")));
        browser.waitFor(d -> browser.find("main").getText().contains("Message " + id + " will be tried again now."));
        browser.open(url("/queue"));
        browser.waitFor(d -> browser.find("main").getText().contains("The queue is empty"));
        browser.screenshot("relay-queue-after-retry");
        browser.open(url("/audit?action=queue."));
        assertThat(browser.find("table").getText()).contains("queue.retry").contains(id);
        browser.screenshot("relay-audit");
    }

    @Test
    void the_relays_cli_can_use_the_local_control_token_on_the_api() throws Exception {
        String token = ControlToken.read(h.relay.config().dataPath()).orElseThrow();

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/api/queue")))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"messages\"");
    }
}
