package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import greyrelay.relay.testing.CapturedLog;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away without QUIT is one INFO line in Postfix's words, {@code <session>: lost connection after
 * DATA from [127.0.0.1]}, naming the last command it sent; never a WARN or a stack trace. The log is captured from the
 * root logger, so the SMTP library's own lines would be seen too.
 */
class LostConnectionLogTest {
    @TempDir
    static Path dir;

    static RelayHarness h;

    final CapturedLog captured = new CapturedLog();

    @BeforeAll
    static void start() throws Exception {
        h = RelayHarness.start(dir, """
                greylist:
                  enabled: false
                admin:
                  enabled: false
                """);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @BeforeEach
    void capture() {
        captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        captured.start();
        root().addAppender(captured);
    }

    @AfterEach
    void release() {
        root().detachAppender(captured);
        captured.stop();
    }

    static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** A raw client: lines written as given, replies read line by line. */
    static final class Client {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client() throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), h.smtpPort());
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        /** Reads one whole reply and returns its last line. */
        String reply() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) throw new IOException("the relay closed the connection");
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }

        Client say(String line, String expectedCode) throws IOException {
            write(line + "\r\n");
            assertThat(reply()).startsWith(expectedCode);
            return this;
        }

        void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** Closes with a TCP reset (SO_LINGER 0), as a client that crashes or is killed does. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Closes with an orderly end of stream but without QUIT. */
        void close() throws IOException {
            socket.close();
        }
    }

    /** Plays the conversation up to {@code where}, then leaves by {@code how}. */
    static void leave(String where, String how) throws Exception {
        Client c = new Client();
        assertThat(c.reply()).startsWith("220 ");
        switch (where) {
            case "CONNECT" -> { }
            case "EHLO" -> c.say("EHLO " + HELO, "250");
            case "RCPT" -> c.say("EHLO " + HELO, "250").say("MAIL FROM:<" + JANE + ">", "250").say("RCPT TO:<" + JOHN + ">", "250");
            case "DATA" -> {
                c.say("EHLO " + HELO, "250").say("MAIL FROM:<" + JANE + ">", "250").say("RCPT TO:<" + JOHN + ">", "250")
                        .say("DATA", "354");
                c.write("Subject: cut short\r\n\r\nthe first line of a message that never ends\r\n");
            }
            case "END-OF-MESSAGE" -> {
                c.say("EHLO " + HELO, "250").say("MAIL FROM:<" + JANE + ">", "250").say("RCPT TO:<" + JOHN + ">", "250")
                        .say("DATA", "354");
                c.say(Examples.message("left-after-the-dot") + ".", "250 2.0.0 Ok: queued as ");
            }
            default -> throw new IllegalArgumentException(where);
        }
        if (how.equals("reset")) c.reset(); else c.close();
    }

    List<ILoggingEvent> lostLines() {
        return captured.events().stream().filter(e -> e.getFormattedMessage().contains("lost connection")).toList();
    }

    void assertOneLostLine(String where) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !lostLines().isEmpty());
        assertThat(lostLines()).singleElement().satisfies(e -> {
            String session = e.getMDCPropertyMap().get("session");
            assertThat(session).isNotBlank();
            assertThat(e.getLevel()).isEqualTo(Level.INFO);
            assertThat(e.getFormattedMessage()).isEqualTo(session + ": lost connection after " + where + " from [127.0.0.1]");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(captured.events()).as("no warning, no stack trace").allSatisfy(e -> {
            assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).as("%s", e).isFalse();
            assertThat(e.getThrowableProxy()).as("%s", e).isNull();
        });
    }

    @ParameterizedTest(name = "{1} after {0}")
    @CsvSource({
            "EHLO,           reset",
            "DATA,           reset",
            "END-OF-MESSAGE, reset",
            "CONNECT,        close",
            "RCPT,           close",
            "DATA,           close"})
    void a_client_that_goes_away_without_quit_is_one_info_line_naming_its_last_command(String where, String how) throws Exception {
        leave(where, how);
        assertOneLostLine(where);
    }

    @Test
    void a_client_that_says_quit_is_not_lost() throws Exception {
        Client polite = new Client();
        assertThat(polite.reply()).startsWith("220 ");
        polite.say("EHLO " + HELO, "250").say("QUIT", "221");
        assertThat(polite.in.readLine()).as("closed by the relay").isNull();
        polite.close();

        leave("EHLO", "reset"); // a second client, so there is a line to wait for: it must be the only one
        assertOneLostLine("EHLO");
    }

    @Test
    void each_session_is_a_connect_line_and_a_disconnect_line_counting_its_commands_as_postfix_does() throws Exception {
        Client c = new Client();
        assertThat(c.reply()).startsWith("220 ");
        c.say("EHLO " + HELO, "250").say("MAIL FROM:<" + JANE + ">", "250").say("RCPT TO:<" + JOHN + ">", "250")
                .say("RSET", "250").say("NOOP", "250").say("QUIT", "221");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(messages())
                .contains("connect from [127.0.0.1]")
                .contains("disconnect from [127.0.0.1] ehlo=1 mail=1 rcpt=1 rset=1 noop=1 quit=1 commands=6"));
        assertThat(captured.events()).filteredOn(e -> e.getFormattedMessage().startsWith("connect from"))
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
    }

    List<String> messages() {
        return captured.messages();
    }
}
