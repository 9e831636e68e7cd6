package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.admin.auth.ControlToken;
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

/**
 * An edit made through the embedded panel's API counts for the very next SMTP session, without a restart and long
 * before the relay's own refresh (set to an hour here, so only the panel's notice can explain it): whitelist entries
 * and rate-limit overrides. Client addresses come through the PROXY protocol; the clock never moves.
 */
class AdminEffectIT {
    @TempDir
    static Path dir;
    static RelayHarness h;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                smtp:
                  proxyProtocol: true
                greylist:
                  whitelistRefresh: 1h
                  defaultWhitelist: false
                verification:
                  enabled: false
                spf:
                  enabled: false
                rateLimits:
                  overrideRefresh: 1h
                  perIp: {connectionsPerMinute: 1, messagesPerHour: 0, recipientsPerHour: 0}
                  perNetwork: {connectionsPerMinute: 0, messagesPerHour: 0, recipientsPerHour: 0}
                """);
        token = ControlToken.read(h.relay.config().dataPath()).orElseThrow();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.relay.adminPort() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String greeting(String ip) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(ip, h.smtpPort())) {
            return c.read().last();
        }
    }

    static String rcpt(String ip, String recipient) throws Exception {
        try (SmtpConversation c = SmtpConversation.openAs(ip, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            String reply = c.send("RCPT TO:<" + recipient + ">").read().last();
            c.send("QUIT");
            return reply;
        }
    }

    @Test
    void a_client_whitelisted_through_the_api_skips_greylisting_from_the_next_session_and_not_after_its_deletion() throws Exception {
        String ip = "198.51.100.20";
        assertThat(rcpt(ip, "first@example.com")).startsWith("451 4.7.1 Greylisted");
        // each session below uses up the client's one connection a minute: lift it for this client first
        assertThat(api("POST", "/api/ratelimits", "{\"kind\":\"client\",\"match\":\"198.51.100.0/24\",\"connectionsPerMinute\":0}")
                .statusCode()).isEqualTo(201);

        HttpResponse<String> added = api("POST", "/api/whitelists", "{\"kind\":\"client_address\",\"value\":\"" + ip + "\"}");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(rcpt(ip, "second@example.com")).startsWith("250");

        long id = json.readTree(added.body()).path("id").asLong();
        assertThat(api("DELETE", "/api/whitelists/" + id, null).statusCode()).isEqualTo(200);
        assertThat(rcpt(ip, "third@example.com")).startsWith("451 4.7.1 Greylisted");
    }

    @Test
    void a_rate_limit_override_saved_through_the_api_applies_to_the_next_connection() throws Exception {
        String ip = "203.0.113.30";
        assertThat(greeting(ip)).startsWith("220 ");
        assertThat(greeting(ip)).startsWith("421 4.7.0 mx.example.com Error: too many connections from [203.0.113.30]");

        HttpResponse<String> saved = api("POST", "/api/ratelimits", "{\"kind\":\"client\",\"match\":\"" + ip + "\",\"connectionsPerMinute\":0}");
        assertThat(saved.statusCode()).isEqualTo(201);
        assertThat(greeting(ip)).as("0 lifts the limit").startsWith("220 ");
        assertThat(greeting(ip)).startsWith("220 ");

        JsonNode o = json.readTree(saved.body());
        assertThat(api("DELETE", "/api/ratelimits/" + o.path("id").asLong(), null).statusCode()).isEqualTo(200);
        assertThat(greeting(ip)).as("the default again, its bucket still empty").startsWith("421 ");
    }

    @org.junit.jupiter.api.Test
    void the_settings_show_the_check_order_in_force() throws Exception {
        var r = api("GET", "/api/settings", null);
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).isEqualTo(200);
        var pipeline = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("pipeline");
        org.assertj.core.api.Assertions.assertThat(pipeline.path("rcpt").asText())
                .startsWith("relay-domain → rate-limit → role-recipient → ").contains("→ greylist");
        org.assertj.core.api.Assertions.assertThat(pipeline.path("connect").asText()).startsWith("connection-limit → ");
    }
}
