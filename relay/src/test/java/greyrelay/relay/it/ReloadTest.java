package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.Relay;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.Reloadable;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.SmtpClient;
import greyrelay.relay.smtpclient.Transcript;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SelfSignedTls;
import greyrelay.relay.testing.SmtpConversation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code greyrelay reload} (SIGHUP) while a client is connected: a renewed certificate (same paths, new files) is served
 * to the next STARTTLS, a whitelist file's new line counts from the next connection, the log level changes, the connected client never
 * notices; a key that needs a restart is named, and a broken file changes nothing.
 */
class ReloadTest {
    @TempDir
    Path dir;

    @Test
    void certificate_and_whitelist_file_are_read_again_while_a_client_stays_connected() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        var pem = SelfSignedTls.pemFiles(certs, "old.example.com");
        Path clients = dir.resolve("clients.txt");
        Files.writeString(clients, "# nobody yet\n");
        String yaml = """
                smtp:
                  tls: {certificate: "%s", key: "%s"}
                greylist:
                  whitelistFiles: ["clients:%s"]
                """.formatted(pem.certificate(), pem.key(), clients);
        try (RelayHarness h = RelayHarness.start(dir.resolve("data"), yaml)) {
            assertThat(peerName(h)).isEqualTo("CN=old.example.com");
            try (SmtpConversation before = SmtpConversation.open(h.smtpPort())) {
                before.expect(220);
                before.ehlo(HELO);
                before.send("MAIL FROM:<" + JANE + ">").expect(250);
                before.send("RCPT TO:<" + JOHN + ">").expect(451); // greylisted: not whitelisted yet

                // the operator renews the certificate in place, whitelists loopback, turns logging down and changes a
                // key that needs a restart; then: greyrelay reload
                SelfSignedTls.pemFiles(certs, "new.example.com");
                Files.writeString(clients, "127.0.0.1\n");
                String changed = yaml.replace("smtp:\n", "smtp:\n  maxRecipients: 7\n") + "logging: {level: warn}\n";
                RelayConfig next = RelayHarness.config(dir.resolve("data"), changed,
                        h.dns.address().getPort(), h.downstream.port());
                Relay.ReloadReport report = h.relay.reload(next);

                assertThat(report.applied()).contains("logging.level", "smtp.tls (certificate read again)",
                        "greylist.whitelistFiles (files read again)");
                assertThat(report.needRestart()).containsExactly("smtp.maxRecipients");
                assertThat(report.failed()).isEmpty();
                assertThat(h.relay.runningConfig().logging().level().name()).isEqualTo("WARN");
                assertThat(h.relay.runningConfig().smtp().maxRecipients()).isEqualTo(100);

                // the connected client goes on as if nothing happened (its client whitelist was settled at connect)
                before.send("RSET").expect(250);
                before.send("MAIL FROM:<" + JANE + ">").expect(250);
                before.send("QUIT").expect(221);
            }
            // the next connection is whitelisted by the file's new line
            try (SmtpConversation after = SmtpConversation.open(h.smtpPort())) {
                after.expect(220);
                after.ehlo(HELO);
                after.send("MAIL FROM:<" + JANE + ">").expect(250);
                after.send("RCPT TO:<" + JOHN + ">").expect(250);
            }
            assertThat(peerName(h)).isEqualTo("CN=new.example.com");
        } finally {
            greyrelay.relay.logs.LogSetup.apply(RelayConfig.defaults().logging());
        }
    }

    @Test
    void a_whitelist_file_that_cannot_be_read_changes_nothing_and_says_why() throws Exception {
        Path clients = dir.resolve("clients.txt");
        Files.writeString(clients, "127.0.0.1\n");
        String yaml = "greylist:\n  whitelistFiles: [\"clients:" + clients + "\"]\n";
        try (RelayHarness h = RelayHarness.start(dir.resolve("data"), yaml)) {
            Files.delete(clients);
            RelayConfig next = RelayHarness.config(dir.resolve("data"), yaml, h.dns.address().getPort(), h.downstream.port());
            Relay.ReloadReport report = h.relay.reload(next);
            assertThat(report.failed()).singleElement().satisfies(f -> assertThat(f).startsWith("greylist.whitelistFiles: cannot read"));
            try (SmtpConversation c = SmtpConversation.open(h.smtpPort())) {
                c.expect(220);
                c.ehlo(HELO);
                c.send("MAIL FROM:<" + JANE + ">").expect(250);
                c.send("RCPT TO:<" + JOHN + ">").expect(250); // still whitelisted by the entries in force
            }
        }
    }

    @Test
    void the_readme_marks_exactly_the_reloadable_keys() throws Exception {
        List<String> marked = Files.readString(Path.of("..", "README.md")).lines()
                .filter(l -> l.startsWith("| `") && l.contains("(reloadable)"))
                .map(l -> l.substring(3, l.indexOf('`', 3))).toList();
        assertThat(marked).containsExactlyInAnyOrderElementsOf(Reloadable.KEYS);
    }

    /** The subject of the certificate a fresh STARTTLS is given. */
    private static String peerName(RelayHarness h) throws Exception {
        List<X509Certificate> seen = new CopyOnWriteArrayList<>();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen.add(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SmtpClient c = SmtpClient.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), h.smtpPort()),
                ClientLimits.defaults(), Transcript.recording())) {
            c.ehlo(HELO);
            assertThat(c.startTls(ctx.getSocketFactory(), "mx.example.com", false).code()).isEqualTo(220);
            c.quit();
        }
        return seen.get(0).getSubjectX500Principal().getName();
    }
}
