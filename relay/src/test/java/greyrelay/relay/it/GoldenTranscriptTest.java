package greyrelay.relay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.testing.GoldenTranscript;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SMTP reply contract as whole conversations: every file in {@code src/test/resources/transcripts/} is replayed
 * against a real relay of its own (port 0, H2 in a temp dir, the fake DNS, scripted MX servers, the downstream sink,
 * a test clock). A reply text changes only together with the transcript that shows it.
 */
class GoldenTranscriptTest {

    static Stream<Path> transcripts() throws Exception {
        Path folder = folder();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().endsWith(".txt")).sorted().toList();
            assertThat(found).as("transcripts in %s", folder).isNotEmpty();
            return found.stream();
        }
    }

    static Path folder() throws URISyntaxException {
        return Path.of(GoldenTranscriptTest.class.getResource("/transcripts").toURI());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void the_relay_says_exactly_what_the_transcript_says(Path transcript, @TempDir Path dir) throws Exception {
        GoldenTranscript.read(transcript).replay(dir);
    }

    // ---- the replay itself must be able to fail -------------------------------------------------------------------

    static final String GREETING = """
            @config greylist.enabled: false
            @connect
            S: 220 mx.example.com ESMTP greyrelay
            C: EHLO mail.sender.example
            S: 250-mx.example.com
            S: 250-PIPELINING
            S: 250-SIZE 26214400
            S: 250-8BITMIME
            S: 250 SMTPUTF8
            """;

    @Test
    void a_reply_text_that_differs_from_the_transcript_fails_the_replay(@TempDir Path dir) {
        GoldenTranscript changed = GoldenTranscript.parse("changed.txt", GREETING + """
                C: MAIL FROM:<jane@example.org>
                S: 250 2.1.0 OK
                C: QUIT
                S: 221 Bye
                """);
        assertThatThrownBy(() -> changed.replay(dir)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("changed.txt:11").hasMessageContaining("250 2.1.0 OK").hasMessageContaining("250 2.1.0 Ok");
    }

    @Test
    void a_reply_the_transcript_does_not_list_fails_the_replay(@TempDir Path dir) {
        GoldenTranscript short_ = GoldenTranscript.parse("short.txt", GREETING + """
                C: QUIT
                """);
        assertThatThrownBy(() -> short_.replay(dir)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("the relay said more than the transcript lists: S: 221 Bye");
    }

    @Test
    void the_queue_id_placeholder_stands_for_a_queue_id_and_nothing_else() {
        String expected = "250 2.0.0 Ok: queued as " + GoldenTranscript.QUEUE_ID;
        assertThat(GoldenTranscript.matches(expected, "250 2.0.0 Ok: queued as 0MWZ1WNF1TGO8KA")).isTrue();
        assertThat(GoldenTranscript.matches(expected, "250 2.0.0 Ok: queued as ")).isFalse();
        assertThat(GoldenTranscript.matches(expected, "250 2.0.0 Ok: queued as 0MWZ1 extra")).isFalse();
        assertThat(GoldenTranscript.matches(expected, "250 2.0.0 OK: queued as 0MWZ1WNF1TGO8KA")).isFalse();
        assertThat(GoldenTranscript.matches("250 2.1.5 Ok", "250 2.1.5 Ok ")).isFalse();
    }

    @Test
    void an_unknown_directive_or_line_is_an_error_not_a_comment() {
        assertThatThrownBy(() -> GoldenTranscript.parse("typo.txt", "@clok +6m\n")).hasMessageContaining("typo.txt:1: unknown directive");
        assertThatThrownBy(() -> GoldenTranscript.parse("typo.txt", "@connect\nS:220 x\n")).hasMessageContaining("typo.txt:2");
        assertThatThrownBy(() -> GoldenTranscript.parse("late.txt", "@connect\n@config smtp.maxMessageSize: 1KB\n"))
                .hasMessageContaining("before the first @connect");
    }
}
