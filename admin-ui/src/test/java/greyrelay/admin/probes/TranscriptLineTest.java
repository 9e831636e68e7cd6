package greyrelay.admin.probes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TranscriptLineTest {
    @Test
    void splits_a_transcript_into_client_server_and_note_lines() {
        assertThat(TranscriptLine.of("-- mx.example.org [192.0.2.25]:25\nS: 220 hi\nC: EHLO mx.example.com\nstray\n"))
                .containsExactly(new TranscriptLine("note", "-- mx.example.org [192.0.2.25]:25"), new TranscriptLine("server", "S: 220 hi"),
                        new TranscriptLine("client", "C: EHLO mx.example.com"), new TranscriptLine("other", "stray"));
        assertThat(TranscriptLine.of(null)).isEmpty();
        assertThat(TranscriptLine.of("")).isEmpty();
    }

    @Test
    void spells_out_control_and_direction_characters_but_keeps_markup_as_plain_text() {
        assertThat(TranscriptLine.of("S: 250 a\rb\u0000c\u001b[31m\u202Eevil\u2066x\u0085 <script>\ttab").getFirst().text())
                .isEqualTo("S: 250 a\\x0Db\\x00c\\x1B[31m\\u202Eevil\\u2066x\\x85 <script>\ttab");
        assertThat(Visible.line("plain text stays the same object")).isSameAs("plain text stays the same object");
        assertThat(Visible.line(null)).isEmpty();
    }
}
