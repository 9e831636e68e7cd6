package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.queue.RecipientState;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SelfSignedTls;
import greyrelay.relay.testing.SmtpConversation;
import greyrelay.relay.testing.TestClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code downstream.tls} against real STARTTLS downstreams on loopback. {@code verify} delivers only to a certificate
 * that chains to the configured authority and names {@code downstream.tlsName} (default: {@code downstream.host}); a
 * self-signed one, one from another authority or one for another name keeps the mail queued as a temporary failure.
 * {@code encrypt} keeps it queued when the downstream offers no STARTTLS.
 */
class DownstreamTlsIT {
    static final String SETTINGS = "greylist: {enabled: false}\n";
    /** What the CA-signed downstream certificate names (one CA and certificate for the whole class: keytool is slow). */
    static final String NAMES = "dns:downstream.example.com,ip:127.0.0.1";

    @TempDir
    Path dir;

    private static void send(int port) throws Exception {
        try (SmtpConversation c = SmtpConversation.open(port)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + JANE + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("tls")).code()).isEqualTo(250);
        }
    }

    /** What a test asserts once the message was sent and one delivery attempt made. */
    interface Then {
        void check(RelayHarness h) throws Exception;
    }

    /**
     * Sends one message through a fresh relay (data in {@code data}) configured with {@code downstream}, towards
     * {@code sink}, makes one delivery attempt, then runs {@code then}.
     */
    private static void deliverTo(Path data, DownstreamSink sink, String downstream, Then then) throws Exception {
        try (FakeDnsServer dns = FakeDnsServer.start(); var db = TestDatabases.h2(data);
                RelayHarness h = RelayHarness.start(data, SETTINGS + "downstream:\n" + downstream, new TestClock(), dns, sink, db)) {
            send(h.smtpPort());
            h.deliverDue();
            then.check(h);
        }
    }

    private static void assertStillQueued(RelayHarness h, DownstreamSink sink, String why) {
        assertThat(sink.received()).isEmpty();
        assertThat(h.relay.queue().list()).singleElement().satisfies(e -> {
            assertThat(e.pending()).extracting(RecipientState::address).containsExactly(JOHN);
            assertThat(e.schedule().lastError()).contains(why);
        });
    }

    @Test
    void verify_refuses_a_self_signed_downstream_and_the_mail_stays_queued() throws Exception {
        try (DownstreamSink sink = DownstreamSink.startWithTls(SelfSignedTls.serverContext())) {
            deliverTo(dir, sink, "  tls: verify\n", h -> assertStillQueued(h, sink, "TLS handshake failed"));
        }
    }

    @Test
    void verify_refuses_a_certificate_of_another_authority_than_tls_ca_file() throws Exception {
        SelfSignedTls.CaSigned ours = SelfSignedTls.caSigned(NAMES);
        try (DownstreamSink sink = DownstreamSink.startWithTls(SelfSignedTls.serverContext())) {
            deliverTo(dir, sink, "  tls: verify\n  tlsCaFile: " + ours.caCertificate() + "\n",
                    h -> assertStillQueued(h, sink, "TLS handshake failed"));
        }
    }

    @Test
    void verify_accepts_a_downstream_signed_by_the_configured_ca_for_its_host() throws Exception {
        SelfSignedTls.CaSigned ca = SelfSignedTls.caSigned(NAMES);
        try (DownstreamSink sink = DownstreamSink.startWithTls(ca.server())) {
            deliverTo(dir, sink, "  tls: verify\n  tlsCaFile: " + ca.caCertificate() + "\n", h -> {
                assertThat(sink.received()).singleElement().satisfies(m -> assertThat(m.recipients()).containsExactly(JOHN));
                assertThat(sink.overTls()).containsExactly(true);
                assertThat(h.relay.queue().depth()).isZero();
            });
        }
    }

    @Test
    void verify_checks_the_name_in_tls_name_rather_than_the_address_connected_to() throws Exception {
        SelfSignedTls.CaSigned ca = SelfSignedTls.caSigned(NAMES);
        try (DownstreamSink sink = DownstreamSink.startWithTls(ca.server())) {
            String trusted = "  tls: verify\n  tlsCaFile: " + ca.caCertificate() + "\n";
            deliverTo(dir.resolve("named"), sink, trusted + "  tlsName: downstream.example.com\n",
                    h -> assertThat(sink.received()).hasSize(1));
            deliverTo(dir.resolve("misnamed"), sink, trusted + "  tlsName: mail.example.net\n", h -> {
                assertThat(sink.received()).hasSize(1); // still only the first one
                assertThat(h.relay.queue().list()).singleElement()
                        .satisfies(e -> assertThat(e.schedule().lastError()).contains("TLS handshake failed"));
            });
        }
    }

    @Test
    void encrypt_keeps_the_mail_queued_when_the_downstream_offers_no_starttls() throws Exception {
        try (DownstreamSink sink = DownstreamSink.start()) {
            deliverTo(dir, sink, "  tls: encrypt\n", h -> assertStillQueued(h, sink, "does not offer STARTTLS (downstream.tls: encrypt)"));
        }
    }

    @Test
    void encrypt_delivers_over_tls_without_checking_the_certificate() throws Exception {
        try (DownstreamSink sink = DownstreamSink.startWithTls(SelfSignedTls.serverContext())) {
            deliverTo(dir, sink, "  tls: encrypt\n", h -> {
                assertThat(sink.overTls()).containsExactly(true);
                assertThat(h.relay.queue().depth()).isZero();
            });
        }
    }
}
