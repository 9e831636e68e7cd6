package greyrelay.relay.metrics;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every series the Grafana dashboard in {@code docker/} queries exists at {@code /metrics} of a relay that has taken and
 * delivered one message, and the meters the operator asked for are there with their Prometheus names.
 */
class MetricsDashboardTest {
    static final Pattern SERIES = Pattern.compile("\\b((?:greyrelay|jvm|process|system|hikaricp|jetty)_[a-z0-9_]+)\\b");

    @TempDir
    Path dir;

    @Test
    void every_metric_the_dashboard_uses_is_published() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir, "greylist: {enabled: false}\nadmin: {enabled: true, port: 0, metricsOpen: true}\n")) {
            try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
                c.expect(220);
                c.ehlo(HELO);
                c.send("MAIL FROM:<" + JANE + ">").expect(250);
                c.send("RCPT TO:<someone@elsewhere.example>").expect(554); // a decision: relay access denied
                c.send("RCPT TO:<" + JOHN + ">").expect(250);
                assertThat(c.data(Examples.message("metrics")).code()).isEqualTo(250);
                c.send("QUIT").expect(221);
            }
            h.deliverDue();
            // through the panel's own endpoint, so Jetty has served a request
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.relay.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            Set<String> published = new TreeSet<>();
            scrape.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .forEach(l -> published.add(l.split("[{ ]", 2)[0]));

            Set<String> used = new TreeSet<>();
            JsonNode dashboard = new ObjectMapper().readTree(Files.readString(Path.of("..", "docker", "grafana-dashboard.json")));
            for (JsonNode expr : dashboard.findValues("expr")) {
                Matcher m = SERIES.matcher(expr.asText());
                while (m.find()) used.add(m.group(1));
            }
            assertThat(used).hasSizeGreaterThan(20);
            assertThat(published).as("series at /metrics").containsAll(used);

            assertThat(published).contains("greyrelay_build_info", "greyrelay_deliveries_total", "greyrelay_dsn_sent_total",
                    "greyrelay_smtp_sessions_open", "greyrelay_smtp_sessions_total", "greyrelay_smtp_tls_sessions_total",
                    "greyrelay_smtp_data_reply_seconds_bucket", "greyrelay_delivery_latency_seconds_bucket",
                    "greyrelay_spool_free_bytes", "hikaricp_connections_active", "jetty_threads_current", "jvm_memory_used_bytes",
                    "process_cpu_usage");
            assertThat(scrape.body()).contains("greyrelay_deliveries_total{status=\"sent\"} 1.0")
                    .contains("greyrelay_smtp_sessions_total{outcome=\"quit\"} 1.0");
        }
    }
}
