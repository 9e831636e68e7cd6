package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery to the downstream: routes per recipient domain, STARTTLS when offered, required TLS. */
class DeliveryIT {
    @TempDir
    Path dir;

    private static void send(int port, List<String> to, String subject) throws Exception {
        try (SmtpConversation c = SmtpConversation.open(port)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            for (String r : to) c.send("RCPT TO:<" + r + ">").expect(250);
            assertThat(c.data(Examples.message(subject)).code()).isEqualTo(250);
        }
    }

    @Test
    void recipients_routed_to_another_host_are_delivered_there_separately() throws Exception {
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink main = DownstreamSink.start();
                DownstreamSink branch = DownstreamSink.start(); var db = TestDatabases.h2(dir)) {
            String yaml = """
                    smtp:
                      relayDomains: [example.com, example.net]
                    downstream:
                      routes:
                        example.net: 127.0.0.1:%d
                    greylist: {enabled: false}
                    verification: {enabled: false}
                    """.formatted(branch.port());
            try (RelayHarness h = RelayHarness.start(dir, yaml, new TestClock(), dns, main, db)) {
                send(h.smtpPort(), List.of(JOHN, "ann@example.net", "bob@example.net"), "routed");
                h.deliverDue();
                assertThat(main.received()).singleElement().satisfies(r -> assertThat(r.recipients()).containsExactly(JOHN));
                assertThat(branch.received()).singleElement()
                        .satisfies(r -> assertThat(r.recipients()).containsExactly("ann@example.net", "bob@example.net"));
                assertThat(h.relay.queue().depth()).isZero();
            }
        }
    }

    @Test
    void starttls_is_used_towards_the_downstream_when_it_is_offered() throws Exception {
        try (FakeDnsServer dns = FakeDnsServer.start(); DownstreamSink sink = DownstreamSink.startWithTls(); var db = TestDatabases.h2(dir);
                RelayHarness h = RelayHarness.start(dir, "downstream: {tls: opportunistic}\ngreylist: {enabled: false}\nverification: {enabled: false}\n",
                        new TestClock(), dns, sink, db)) {
            send(h.smtpPort(), List.of(JOHN), "encrypted");
            h.deliverDue();
            assertThat(sink.overTls()).containsExactly(true);
        }
    }

    @Test
    void required_tls_keeps_mail_queued_when_the_downstream_does_not_offer_it() throws Exception {
        // "required" is the old name of "encrypt" (DownstreamTlsIT has the new names)
        try (RelayHarness h = RelayHarness.start(dir, "downstream: {tls: required}\ngreylist: {enabled: false}\nverification: {enabled: false}\n")) {
            send(h.smtpPort(), List.of(JOHN), "must-encrypt");
            h.deliverDue();
            assertThat(h.downstream.received()).isEmpty();
            assertThat(h.relay.queue().list()).singleElement()
                    .satisfies(e -> assertThat(e.schedule().lastError()).contains("does not offer STARTTLS (downstream.tls: encrypt)"));
        }
    }

    @Test
    void successive_messages_reuse_one_downstream_connection() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir, "queue: {workers: 1}\ngreylist: {enabled: false}\nverification: {enabled: false}\n")) {
            h.downstream.down();
            for (int i = 0; i < 3; i++) send(h.smtpPort(), List.of(JOHN), "reuse-" + i);
            h.deliverDue();
            h.downstream.up();
            h.clock.advance(java.time.Duration.ofMinutes(1));
            h.deliverDue();
            assertThat(h.downstream.received()).hasSize(3);
            assertThat(h.downstream.connections()).isEqualTo(1);
        }
    }

    @Test
    void without_the_connection_cache_every_message_has_its_own_connection() throws Exception {
        try (RelayHarness h = RelayHarness.start(dir,
                "queue: {workers: 1}\ndownstream: {connectionCacheTime: 0s}\ngreylist: {enabled: false}\nverification: {enabled: false}\n")) {
            h.downstream.down();
            for (int i = 0; i < 3; i++) send(h.smtpPort(), List.of(JOHN), "no-reuse-" + i);
            h.deliverDue();
            h.downstream.up();
            h.clock.advance(java.time.Duration.ofMinutes(1));
            h.deliverDue();
            assertThat(h.downstream.received()).hasSize(3);
            assertThat(h.downstream.connections()).isEqualTo(3);
        }
    }
}
