package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TranscriptTest {

    @Test
    void records_client_server_and_note_lines_in_order() {
        Transcript transcript = Transcript.recording();

        transcript.note("trying mx.example.com");
        transcript.server("220 hi");
        transcript.client("QUIT");

        assertThat(transcript.lines()).containsExactly("-- trying mx.example.com", "S: 220 hi", "C: QUIT");
        assertThat(transcript.asText()).isEqualTo("-- trying mx.example.com\nS: 220 hi\nC: QUIT");
    }

    @Test
    void cuts_long_lines_and_replaces_control_characters() {
        Transcript transcript = Transcript.recording();

        transcript.server("250 " + "x".repeat(2000));
        transcript.note("evil\r\nS: 250 forged");

        assertThat(transcript.lines().get(0)).hasSize(Transcript.MAX_LINE_CHARS).endsWith("...");
        assertThat(transcript.lines().get(1)).isEqualTo("-- evil??S: 250 forged");
    }

    @Test
    void stops_after_max_lines_with_one_marker_but_keeps_the_final_error() {
        Transcript transcript = Transcript.recording();

        for (int i = 0; i < 1000; i++) {
            transcript.server("250-line " + i);
        }
        transcript.error("REPLY_TIMEOUT: no complete reply within 400 ms");

        assertThat(transcript.lines()).hasSize(Transcript.MAX_LINES + 2);
        assertThat(transcript.lines().get(Transcript.MAX_LINES)).isEqualTo("-- truncated");
        assertThat(transcript.lines()).last().isEqualTo("-- error: REPLY_TIMEOUT: no complete reply within 400 ms");
        assertThat(transcript.lines()).filteredOn("-- truncated"::equals).hasSize(1);
    }

    @Test
    void none_records_nothing() {
        Transcript none = Transcript.none();

        none.server("220 hi");
        none.note("x");
        none.error("y");

        assertThat(none.isRecording()).isFalse();
        assertThat(none.lines()).isEmpty();
        assertThat(none.asText()).isEmpty();
    }
}
