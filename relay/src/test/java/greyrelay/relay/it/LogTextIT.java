package greyrelay.relay.it;

import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import greyrelay.relay.testing.CapturedLog;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.SmtpConversation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client's words reach the log only as printable text: a HELO carrying ANSI escapes (ESC, and the one-byte C1 CSI)
 * and other control characters, accepted (the HELO checks are off), goes through a queued message, a refusal and an
 * SPF evaluation of the HELO identity (null sender); every log line those produce is free of control characters, and
 * the HELO still shows, with each one replaced by {@code ?}.
 */
class LogTextIT {
    /** Red text, clear screen, a bell and a bidi override, inside a HELO name. */
    static final String HELO = "mail\u001b[31m.evil\u009b2J\u0007\u202e.example.org";
    static final String SHOWN = "mail?[31m.evil?2J??.example.org";

    @TempDir
    Path dir;

    RelayHarness h;
    final CapturedLog captured = new CapturedLog();

    @BeforeEach
    void start() throws Exception {
        captured.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        captured.start();
        root().addAppender(captured);
        h = RelayHarness.start(dir, """
                greylist: {enabled: false}
                hygiene: {rejectInvalidHelo: false, rejectNonFqdnHelo: false}
                """);
    }

    @AfterEach
    void stop() {
        root().detachAppender(captured);
        captured.stop();
        h.close();
    }

    static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void a_helo_with_control_characters_and_ansi_escapes_is_logged_printable() throws Exception {
        try (SmtpConversation c = h.connect()) {
            c.expect(220);
            c.ehlo(HELO);
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + JOHN + ">").expect(250);
            assertThat(c.data(Examples.message("escapes")).code()).isEqualTo(250);
            c.send("MAIL FROM:<>").expect(250);
            c.send("RCPT TO:<" + STRANGER + ">").expect(554);
            c.send("QUIT").expect(221);
        }
        h.relay.decisions().flush();
        List<String> lines = captured.messages();

        assertThat(lines).filteredOn(l -> l.contains(": queued as ")).singleElement()
                .satisfies(l -> assertThat(l).endsWith("helo=<" + SHOWN + ">"));
        assertThat(lines).filteredOn(l -> l.contains("Relay access denied")).singleElement()
                .satisfies(l -> assertThat(l).contains("helo=<" + SHOWN + ">"));
        assertThat(lines).filteredOn(l -> l.contains(": spf ")).singleElement()
                .satisfies(l -> assertThat(l).contains("identity=helo domain=" + SHOWN.toLowerCase()));
        assertThat(lines).allSatisfy(l -> assertThat(l.codePoints())
                .as("no control or format character in: %s", l)
                .noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT));
    }
}
