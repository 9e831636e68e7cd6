package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.cli.MainRunner;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /health/live}, {@code /health/ready} and {@code greyrelay health}: ready fails on a full spool and on a lost
 * database; the command works with the panel off (the loopback control listener); queue flush and delete --sender.
 */
class HealthCliIT {
    @TempDir
    Path dir;

    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    private MainRunner.Run cli(String... args) throws Exception {
        Path config = Files.writeString(dir.resolve("cli.yaml"), "dataDir: " + dir + "\n");
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return MainRunner.run(Map.of(), all);
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void live_and_ready_answer_with_the_version_and_health_exits_0() throws Exception {
        h = RelayHarness.start(dir, "");
        var ready = get(h.relay.adminPort(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"ok\"").contains("\"version\":").contains("\"name\":\"spool\"")
                .contains("\"name\":\"downstream\"").contains("not contacted yet");
        assertThat(get(h.relay.adminPort(), "/health/live").body()).contains("\"status\":\"ok\"").contains("scheduler");
        assertThat(get(h.relay.adminPort(), "/health").body()).contains("\"version\":");
        var r = cli("health");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ready: ok").contains("ok   smtp").contains("ok   database");
        assertThat(cli("health", "--live").exit()).isZero();
    }

    @Test
    void ready_fails_on_a_full_spool() throws Exception {
        h = RelayHarness.start(dir, "queue: {minFreeSpace: 1000000GB}\n");
        assertThat(get(h.relay.adminPort(), "/health/ready").statusCode()).isEqualTo(503);
        var r = cli("health");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ready: failing").contains("FAIL spool").contains("queue.minFreeSpace");
        assertThat(cli("health", "--live").exit()).as("alive all the same").isZero();
    }

    @Test
    void ready_fails_on_a_lost_database() throws Exception {
        h = RelayHarness.start(dir, "");
        h.relay.database().close(); // the harness owns it; the relay now finds it gone
        var r = cli("health");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL database");
    }

    @Test
    void health_works_with_the_panel_off_and_refuses_everything_but_the_control_token() throws Exception {
        h = RelayHarness.start(dir, "admin: {enabled: false}\n");
        assertThat(h.relay.adminPort()).isEqualTo(-1);
        var r = cli("health");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ready: ok");
        assertThat(Files.readString(dir.resolve("control.url"))).startsWith("http://127.0.0.1:" + h.relay.controlPort());
        assertThat(get(h.relay.controlPort(), "/login").statusCode()).isEqualTo(401);
        assertThat(get(h.relay.controlPort(), "/api/me").statusCode()).isEqualTo(401);
        assertThat(cli("greylist", "list").exit()).as("the other commands too").isZero();
        h.close();
        h = null;
        var stopped = cli("health");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.out()).contains("not running");
    }

    private void queueOne(String from) throws Exception {
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + from + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            c.data(Examples.message("health-" + from)).text();
        }
    }

    @Test
    void queue_flush_and_delete_by_sender() throws Exception {
        h = RelayHarness.start(dir, "greylist: {enabled: false}\nspf: {enabled: false}\n");
        h.downstream.down();
        queueOne(JANE);
        queueOne("bob@example.org");
        h.deliverDue();
        var flush = cli("queue", "flush");
        assertThat(flush.exit()).as(flush.err()).isZero();
        assertThat(flush.out()).contains("2 message(s) will be tried again now");
        var del = cli("queue", "delete", "--sender", JANE);
        assertThat(del.exit()).as(del.err()).isZero();
        assertThat(del.out()).contains("-- 1 message(s) from <" + JANE + "> deleted");
        assertThat(h.relay.queue().depth()).isEqualTo(1);
        assertThat(cli("queue", "delete").exit()).as("neither id nor --sender").isEqualTo(2);
        assertThat(cli("queue", "list", "--json").out()).contains("bob@example.org");
        var ready = cli("health");
        assertThat(ready.out()).contains("downstream").contains("last error");
    }
}
