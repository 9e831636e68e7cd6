package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real Postfix using greyrelay as its {@code check_policy_service}: a throwaway Postfix instance in a temporary
 * directory (its own main.cf and master.cf, queue and data directories, log file; smtpd on a free loopback port, no
 * chroot), relaying example.com to the downstream sink, asking a policy-only greyrelay at RCPT and at end of data.
 * A first delivery attempt through Postfix is deferred with greyrelay's text; a retry after the delay (the relay's
 * clock moved) is accepted, and the message reaches the sink with the {@code X-Greylist} header.
 *
 * <p>Needs {@code /usr/sbin/postfix} and root (Postfix starts as root and drops to {@code postfix}); skipped without
 * them unless {@code REQUIRE_POSTFIX=1} (set by {@code .ci/run}, which installs Postfix), then it fails.
 */
class PostfixPolicyIT {
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");

    @TempDir
    Path dir;

    RelayHarness h;
    DownstreamSink sink;
    Path config;
    boolean started;

    @BeforeEach
    void start() throws Exception {
        boolean available = Files.isExecutable(POSTFIX) && "root".equals(System.getProperty("user.name"));
        if (!available) {
            if ("1".equals(System.getenv("REQUIRE_POSTFIX"))) {
                throw new AssertionError("REQUIRE_POSTFIX=1 but Postfix cannot run here (needs /usr/sbin/postfix and root)");
            }
            Assumptions.abort("Postfix is not installed (or not root): apt-get install postfix");
        }
        h = RelayHarness.start(dir.resolve("relay"), """
                smtp:
                  enabled: false
                policy:
                  enabled: true
                  port: 0
                spf:
                  enabled: false
                greylist:
                  defaultWhitelist: false
                """);
        sink = h.downstream;
        config = dir.resolve("postfix");
        Files.createDirectories(config.resolve("data"));
        Files.createDirectories(config.resolve("queue"));
        for (Path p : List.of(dir, config)) Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        run("chown", "postfix", config.resolve("data").toString());
        int smtpdPort = freePort();
        Files.writeString(config.resolve("main.cf"), mainCf(config, h.relay.policyPort(), sink.port()));
        Files.writeString(config.resolve("master.cf"), masterCf(smtpdPort));
        run(POSTFIX.toString(), "-c", config.toString(), "check");
        run(POSTFIX.toString(), "-c", config.toString(), "start");
        started = true;
        this.smtpdPort = smtpdPort;
        waitForListener(smtpdPort);
    }

    int smtpdPort;

    @AfterEach
    void stop() throws Exception {
        if (started) {
            try {
                run(POSTFIX.toString(), "-c", config.toString(), "stop");
            } catch (AssertionError e) {
                System.err.println("postfix stop: " + e.getMessage());
            }
        }
        if (h != null) h.close();
    }

    static String mainCf(Path dir, int policyPort, int sinkPort) {
        return """
                compatibility_level = 3.6
                queue_directory = %1$s/queue
                data_directory = %1$s/data
                meta_directory = /etc/postfix
                shlib_directory = /usr/lib/postfix
                daemon_directory = /usr/lib/postfix/sbin
                command_directory = /usr/sbin
                maillog_file = %1$s/maillog
                maillog_file_prefixes = %1$s
                myhostname = postfix-under-test.example.net
                mydomain = example.net
                myorigin = $mydomain
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 192.0.2.0/24
                relay_domains = %4$s
                transport_maps = inline:{ %4$s=smtp:[127.0.0.1]:%3$d }
                smtpd_recipient_restrictions = reject_unauth_destination, check_policy_service inet:127.0.0.1:%2$d
                smtpd_end_of_data_restrictions = check_policy_service inet:127.0.0.1:%2$d
                smtpd_tls_security_level = none
                smtp_tls_security_level = none
                alias_maps =
                alias_database =
                local_recipient_maps =
                smtputf8_enable = no
                biff = no
                """.formatted(dir, policyPort, sinkPort, Examples.OUR_DOMAIN);
    }

    static String masterCf(int smtpdPort) {
        return """
                127.0.0.1:%d inet n - n - - smtpd
                pickup    unix  n - n 60 1 pickup
                cleanup   unix  n - n - 0 cleanup
                qmgr      unix  n - n 300 1 qmgr
                rewrite   unix  - - n - - trivial-rewrite
                bounce    unix  - - n - 0 bounce
                defer     unix  - - n - 0 bounce
                trace     unix  - - n - 0 bounce
                verify    unix  - - n - 1 verify
                flush     unix  n - n 1000? 0 flush
                proxymap  unix  - - n - - proxymap
                smtp      unix  - - n - - smtp
                relay     unix  - - n - - smtp
                showq     unix  n - n - - showq
                error     unix  - - n - - error
                retry     unix  - - n - - error
                discard   unix  - - n - - discard
                anvil     unix  - - n - 1 anvil
                scache    unix  - - n - 1 scache
                postlog   unix-dgram n - n - 1 postlogd
                """.formatted(smtpdPort);
    }

    @Test
    void a_first_attempt_through_postfix_is_deferred_with_our_text_and_the_retry_arrives_with_x_greylist() throws Exception {
        String jane = "jane@" + Examples.SENDER_DOMAIN;
        try (SmtpConversation c = SmtpConversation.open(smtpdPort)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            SmtpConversation.Reply r = c.send("RCPT TO:<" + JOHN + ">").read();
            assertThat(r.code()).as(maillog()).isEqualTo(450);
            assertThat(r.last()).contains("4.7.1").contains("Greylisted, please try again in 300 seconds");
            c.send("QUIT").expect(221);
        }

        h.clock.advance(Duration.ofSeconds(301));
        try (SmtpConversation c = SmtpConversation.open(smtpdPort)) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<" + jane + ">").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("through-postfix")).code()).as(maillog()).isEqualTo(250);
            c.send("QUIT").expect(221);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sink.received().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sink.received()).as(maillog()).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEqualTo(jane);
            assertThat(m.recipients()).containsExactly(JOHN);
            assertThat(m.text()).containsPattern("(?m)^X-Greylist: delayed 301 seconds by greyrelay-\\S+ \\(mx\\.example\\.com\\); ");
            assertThat(m.text()).contains("Subject: through-postfix");
        });
    }

    String maillog() {
        try {
            Path log = config.resolve("maillog");
            return Files.exists(log) ? "postfix maillog:\n" + Files.readString(log) : "(no maillog)";
        } catch (IOException e) {
            return "(maillog unreadable: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    void waitForListener(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("Postfix's smtpd did not listen on " + port + "\n" + maillog());
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": timed out\n" + out);
        }
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + out);
    }
}
