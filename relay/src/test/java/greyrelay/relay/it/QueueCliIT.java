package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.cli.MainRunner;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code greyrelay queue …} against a running relay, through its admin API and control token. */
class QueueCliIT {
    @TempDir
    Path dir;

    RelayHarness h;
    Path config;

    @BeforeEach
    void start() throws Exception {
        h = RelayHarness.start(dir, "greylist: {enabled: false}\nverification: {enabled: false}\nspf: {enabled: false}\n");
        h.downstream.down();
        config = dir.resolve("cli.yaml");
        Files.writeString(config, "dataDir: " + dir + "\nadmin:\n  port: " + h.relay.adminPort() + "\n");
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private String queued(String subject) throws Exception {
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            String t = c.data(Examples.message(subject)).text();
            h.deliverDue(); // downstream down: deferred
            return t.substring(t.lastIndexOf(' ') + 1);
        }
    }

    private MainRunner.Run cli(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        return MainRunner.run(Map.of(), all);
    }

    @Test
    void list_shows_attempts_next_attempt_and_last_error() throws Exception {
        String id = queued("cli-list");
        var r = cli("queue", "list");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(id).contains("<" + JANE + ">").contains("attempts 1, next ").contains("last error: CONNECT_FAILED")
                .contains("pending   <" + JOHN + ">").contains("-- 1 message(s)");
    }

    @Test
    void show_prints_the_headers_it_will_be_delivered_with() throws Exception {
        String id = queued("cli-show");
        var r = cli("queue", "show", id.toLowerCase());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Received: from " + HELO).contains("Subject: cli-show");
    }

    @Test
    void retry_delivers_when_the_downstream_is_back() throws Exception {
        String id = queued("cli-retry");
        h.downstream.up();
        assertThat(cli("queue", "retry", id).out()).contains(id + ": will be tried again now");
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement().satisfies(m -> assertThat(m.text()).contains("Subject: cli-retry"));
    }

    @Test
    void bounce_returns_the_message_to_its_sender_and_delete_removes_one_silently() throws Exception {
        String bounced = queued("cli-bounce");
        String deleted = queued("cli-delete");
        assertThat(cli("queue", "bounce", bounced, "--reason", "mailbox retired").exit()).isZero();
        assertThat(cli("queue", "delete", deleted).exit()).isZero();
        assertThat(h.relay.queue().list()).extracting(e -> e.kind().name()).containsExactly("DSN");
        h.downstream.up();
        h.clock.advance(java.time.Duration.ofMinutes(1)); // the DSN may have met the downstream down already
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement().satisfies(m -> {
            assertThat(m.recipients()).containsExactly(JANE);
            assertThat(m.text()).contains("mailbox retired").contains("Subject: cli-bounce");
        });
    }

    @Test
    void an_unknown_id_and_a_stopped_relay_are_one_line_errors() throws Exception {
        var unknown = cli("queue", "retry", "0ABCDEFGHIJKLMN");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("greyrelay: no such message in the queue");
        h.relay.close();
        var stopped = cli("queue", "list");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err().strip()).startsWith("greyrelay: no relay answers on " + dir);
    }
}
