package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.Replies;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.SmtpClient;
import greyrelay.relay.smtpclient.Transcript;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SelfSignedTls;
import greyrelay.relay.testing.SmtpConversation;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listener behaviour: STARTTLS, PROXY protocol, connection limits, HELO first, graceful shutdown. */
class ListenerIT {
    static final String BASE = """
            greylist:
              enabled: false
            verification:
              enabled: false
            """;

    @TempDir
    Path dir;

    RelayHarness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void starttls_is_offered_with_a_pem_certificate_and_mail_goes_through_encrypted() throws Exception {
        var pem = SelfSignedTls.pemFiles(dir, "mx.example.com");
        h = RelayHarness.start(dir, BASE + "smtp:\n  tls:\n    certificate: " + pem.certificate() + "\n    key: " + pem.key() + "\n");
        Transcript t = Transcript.recording();
        try (SmtpClient c = SmtpClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), h.smtpPort()),
                ClientLimits.defaults(), t)) {
            assertThat(c.ehlo(HELO).supports("STARTTLS")).isTrue();
            assertThat(c.startTls(SelfSignedTls.trustAllClientFactory(), "mx.example.com").code()).isEqualTo(220);
            assertThat(c.isTls()).isTrue();
            assertThat(c.ehlo(HELO).supports("STARTTLS")).as("not offered again over TLS").isFalse();
            assertThat(c.command("MAIL FROM:<" + JANE + ">").code()).isEqualTo(250);
            assertThat(c.command("RCPT TO:<" + JOHN + ">").code()).isEqualTo(250);
            assertThat(c.data(new ByteArrayInputStream(Examples.message("over-tls").getBytes(StandardCharsets.US_ASCII))).code())
                    .isEqualTo(250);
            c.quit();
        }
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement().satisfies(r -> assertThat(r.text()).contains("with ESMTPS (TLSv1.3 "));
    }

    @Test
    void without_a_certificate_starttls_is_not_offered() throws Exception {
        h = RelayHarness.start(dir, BASE);
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            assertThat(c.ehlo(HELO).lines()).noneMatch(l -> l.contains("STARTTLS"));
        }
    }

    @Test
    void with_proxy_protocol_the_client_address_is_the_proxied_one() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  proxyProtocol: true\n");
        try (SmtpConversation c = SmtpConversation.openAs(Examples.CLIENT_IP, h.smtpPort())) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("proxied")).code()).isEqualTo(250);
        }
        h.deliverDue();
        assertThat(h.downstream.received().getFirst().text()).contains("\r\nReceived: from " + HELO + " ([" + Examples.CLIENT_IP + "])");
    }

    @Test
    void too_many_connections_from_one_client_get_the_contract_421() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  maxConnectionsPerIp: 2\n");
        List<SmtpConversation> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                SmtpConversation c = h.connect();
                c.expect(220);
                open.add(c);
            }
            try (SmtpConversation third = h.connect()) {
                third.expect(Replies.tooManyConnections(Examples.RELAY_HOSTNAME, InetAddress.getByName("127.0.0.1")).line());
                assertThat(third.isClosedByServer()).isTrue();
            }
            // another client address is not affected
            try (SmtpConversation other = SmtpConversation.open(InetAddress.getLoopbackAddress(), h.smtpPort(),
                    InetAddress.getByName("127.0.0.2"))) {
                other.expect(220);
            }
        } finally {
            for (SmtpConversation c : open) c.close();
        }
        // once they are gone, the client may connect again (the server notices the closes asynchronously)
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
            try (SmtpConversation again = h.connect()) {
                again.expect(220);
            }
        });
    }

    @Test
    void mail_before_helo_is_refused() throws Exception {
        h = RelayHarness.start(dir, BASE);
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.send("MAIL FROM:<" + JANE + ">").expect("503 5.5.1 Error: send HELO/EHLO first");
            c.send("BDAT 10 LAST").expect("502 5.5.1 Error: command not implemented");
            c.send("HELO " + HELO).expect("250 " + Examples.RELAY_HOSTNAME);
            c.send("MAIL FROM:<" + JANE + "> FOO=BAR").expect("555 5.5.4 Unsupported option: FOO=BAR");
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("MAIL FROM:<" + JANE + ">").expect("503 5.5.1 Error: nested MAIL command");
        }
    }

    @Test
    void on_shutdown_a_transaction_in_progress_finishes_and_newcomers_hear_421() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  shutdownGrace: 10s\n");
        SmtpConversation busy = h.connect();
        busy.expect(220);
        busy.ehlo(HELO);
        busy.send("MAIL FROM:<" + JANE + ">").expect(250);
        busy.send("RCPT TO:<" + JOHN + ">").expect(250);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> h.relay.close());
        // the close runs on another thread: until it starts draining a newcomer still hears 220 and leaves
        int greeting = 220;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (greeting == 220 && System.nanoTime() < end) {
            try (SmtpConversation late = h.connect()) {
                greeting = late.read().code();
                if (greeting == 220) late.send("QUIT").expect(221);
            }
        }
        assertThat(greeting).as("a newcomer's greeting once the relay drains").isEqualTo(421);
        assertThat(busy.data(Examples.message("finished-during-shutdown")).code()).isEqualTo(250);
        busy.send("QUIT");
        busy.close();
        closing.get();
        boolean delivered = h.downstream.received().stream().anyMatch(r -> r.text().contains("finished-during-shutdown"));
        boolean spooled;
        try (var files = Files.list(dir.resolve("spool/queue"))) {
            spooled = files.anyMatch(p -> p.toString().endsWith(".json"));
        }
        assertThat(delivered || spooled).as("the acknowledged message was delivered or stays spooled for the next start").isTrue();
        h.downstream.close();
        h.dns.close();
        h = null;
    }

    @Test
    void listening_on_the_wildcard_address_serves_ipv4_and_ipv6_clients() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  bind: \"::\"\n");
        for (String server : new String[] {"127.0.0.1", "::1"}) {
            try (SmtpConversation c = SmtpConversation.open(InetAddress.getByName(server), h.smtpPort(), null)) {
                c.expect(220);
                c.ehlo(HELO);
            }
        }
    }

    @Test
    void an_idle_client_is_disconnected_after_the_command_timeout() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  commandTimeout: 1s\n");
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.expect(421); // real time: the socket read timeout
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void a_client_sending_a_byte_at_a_time_is_cut_at_the_command_timeout() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  commandTimeout: 1s\n");
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            long t0 = System.nanoTime();
            // each byte would reset a socket read timeout: the deadline is for the whole command line
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (byte b : "EHLO slow.example.org".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
                        c.raw(new byte[] {b});
                        Thread.sleep(200);
                    }
                } catch (Exception e) {
                    // cut by the relay
                }
            });
            assertThat(c.expect(421).last()).isEqualTo("421 Timeout waiting for data from client.");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("cut after %d ms, the drip lasts 4 s", ms).isBetween(900L, 3500L);
            assertThat(c.isClosedByServer()).isTrue();
            drip.join();
        }
    }

    @Test
    void utf8_addresses_are_accepted_with_smtputf8() throws Exception {
        h = RelayHarness.start(dir, BASE);
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            assertThat(c.ehlo(HELO).lines()).contains("250 SMTPUTF8");
            c.send("MAIL FROM:<jos\u00e9@example.org> SMTPUTF8").expect(250);
            c.send("RCPT TO:<j\u00fcrgen@example.com>").expect(250);
            assertThat(c.data(Examples.message("utf8")).code()).isEqualTo(250);
        }
        h.deliverDue();
        assertThat(h.downstream.received()).singleElement().satisfies(r -> {
            assertThat(r.sender()).isEqualTo("jos\u00e9@example.org");
            assertThat(r.recipients()).containsExactly("j\u00fcrgen@example.com");
        });
    }

    @Test
    void too_many_recipients_are_refused_beyond_the_limit() throws Exception {
        h = RelayHarness.start(dir, BASE + "smtp:\n  maxRecipients: 2\n");
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<a@example.com>").expect(250);
            c.send("RCPT TO:<b@example.com>").expect(250);
            c.send("RCPT TO:<c@example.com>").expect(452);
        }
    }
}
