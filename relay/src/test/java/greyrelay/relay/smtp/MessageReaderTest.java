package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.relay.policy.MessageFacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class MessageReaderTest {
    private record Result(String out, MessageFacts facts) {}

    private static Result copy(String in, long limit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageFacts f = new MessageReader(limit, field -> field.toLowerCase().startsWith("authentication-results: mx.example.com"))
                .copy(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)), out);
        return new Result(out.toString(StandardCharsets.ISO_8859_1), f);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            well-formed stays byte identical | A: 1\\r\\n\\r\\nbody\\r\\n                    | A: 1\\r\\n\\r\\nbody\\r\\n
            bare LF becomes CRLF             | A: 1\\n\\nline\\n.\\nend\\n                   | A: 1\\r\\n\\r\\nline\\r\\n.\\r\\nend\\r\\n
            bare CR becomes CRLF             | A: 1\\r\\rx\\ry\\r\\n                        | A: 1\\r\\n\\r\\nx\\r\\ny\\r\\n
            missing final line ending added  | A: 1\\r\\n\\r\\nno newline                  | A: 1\\r\\n\\r\\nno newline\\r\\n
            folded header kept               | A: 1\\r\\n  2\\r\\nB: 3\\r\\n\\r\\nb\\r\\n      | A: 1\\r\\n  2\\r\\nB: 3\\r\\n\\r\\nb\\r\\n
            body without header              | just text\\r\\nmore\\r\\n                  | just text\\r\\nmore\\r\\n
            empty message                    | ''                                           | ''
            """)
    void copies_and_normalises(String name, String in, String expected) throws Exception {
        assertThat(copy(unescape(in), 1_000_000).out()).isEqualTo(unescape(expected));
    }

    @Test
    void counts_received_fields_of_the_header_only() throws Exception {
        Result r = copy("Received: a\r\nreceived: b\r\n  folded\r\nX: y\r\n\r\nReceived: in the body\r\n", 1_000_000);
        assertThat(r.facts().receivedHeaders()).isEqualTo(2);
    }

    @Test
    void drops_the_header_fields_the_filter_refuses_with_their_continuation_lines() throws Exception {
        Result r = copy("Authentication-Results: mx.example.com;\r\n spf=pass\r\nAuthentication-Results: other.example; spf=fail\r\n"
                + "Subject: s\r\n\r\nAuthentication-Results: mx.example.com; body text\r\n", 1_000_000);
        assertThat(r.out()).isEqualTo("Authentication-Results: other.example; spf=fail\r\nSubject: s\r\n\r\n"
                + "Authentication-Results: mx.example.com; body text\r\n");
    }

    /** The filter the relay uses: an Authentication-Results naming our host is a forgery. */
    private static Result relayCopy(String in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var bytes = new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1));
        MessageFacts f = new MessageReader(10_000_000, AuthenticationResults.claimsAuthservId("mx.example.com")).copy(bytes, out);
        assertThat(bytes.available()).as("read to the end").isZero();
        return new Result(out.toString(StandardCharsets.ISO_8859_1), f);
    }

    static final String FORGED = "Authentication-Results: mx.example.com; dkim=pass header.d=bank.example\r\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            obsolete syntax, space before the colon | Subject : x
            obsolete syntax, tab before the colon   | Subject\t: x
            a line that is no field at all          | this line is neither a field nor a continuation
            a line of white space only              | '   '
            """)
    void the_header_goes_on_to_the_first_empty_line_and_a_forgery_behind_any_line_is_dropped(String name, String line)
            throws Exception {
        Result r = relayCopy("From: jane@example.org\r\n" + line + "\r\n" + FORGED + "Received: from a\r\nReceived : from b\r\n"
                + "\r\nbody\r\n");
        assertThat(r.out()).isEqualTo("From: jane@example.org\r\n" + line + "\r\nReceived: from a\r\nReceived : from b\r\n\r\nbody\r\n");
        assertThat(r.facts().receivedHeaders()).isEqualTo(2);
        assertThat(r.facts().headerFieldTooLong()).isFalse();
    }

    @Test
    void a_forgery_in_the_obsolete_syntax_itself_is_dropped() throws Exception {
        Result r = relayCopy("Authentication-Results :  mx.example.com; spf=pass\r\nSubject: s\r\n\r\nb\r\n");
        assertThat(r.out()).isEqualTo("Subject: s\r\n\r\nb\r\n");
    }

    @Test
    void a_long_folded_field_within_the_limit_is_examined_and_what_follows_too() throws Exception {
        String folded = "X-Long: start" + "\r\n folded continuation of a long field".repeat(1500); // about 57 KB
        Result r = relayCopy(folded + "\r\n" + FORGED + "\r\nbody\r\n");
        assertThat(r.out()).isEqualTo(folded + "\r\n\r\nbody\r\n");
        assertThat(r.facts().headerFieldTooLong()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a 70 KB header line                | 1
            a folded field of 70 KB            | 2000
            """)
    void a_header_line_or_field_over_the_limit_marks_the_message_and_nothing_behind_it_is_written(String name, int lines)
            throws Exception {
        String big = lines == 1 ? "X-Big: " + "a".repeat(70_000)
                : "X-Big: start" + ("\r\n " + "b".repeat(34)).repeat(lines);
        Result r = relayCopy("Subject: s\r\n" + big + "\r\n" + FORGED + "\r\nbody\r\n");
        assertThat(r.facts().headerFieldTooLong()).isTrue();
        assertThat(r.out()).doesNotContain("dkim=pass").doesNotContain("body");
        assertThat(r.facts().size()).isGreaterThan(70_000);
    }

    @Test
    void stops_writing_at_the_limit_but_reads_everything() throws Exception {
        String in = "S: x\r\n\r\n" + "0123456789\r\n".repeat(100);
        var bytes = new ByteArrayInputStream(in.getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageFacts f = new MessageReader(100, x -> false).copy(bytes, out);
        assertThat(f.truncated()).isTrue();
        assertThat(f.size()).isEqualTo(in.length());
        assertThat(out.size()).isLessThanOrEqualTo(100);
        assertThat(bytes.available()).isZero();
    }

    @Test
    void a_message_exactly_at_the_limit_is_not_truncated() throws Exception {
        String in = "S: x\r\n\r\nbody\r\n";
        assertThat(copy(in, in.length()).facts().truncated()).isFalse();
        assertThat(copy(in, in.length() - 1).facts().truncated()).isTrue();
    }

    @Test
    void the_body_is_cut_at_the_limit_to_the_byte_even_inside_a_line_and_a_line_ending_is_never_split() throws Exception {
        String in = "S: x\r\n\r\n" + "0123456789\r\n".repeat(10);
        for (int limit = 8; limit < 40; limit++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            MessageFacts f = new MessageReader(limit, x -> false).copy(new ByteArrayInputStream(in.getBytes(StandardCharsets.US_ASCII)), out);
            // a line ending is written whole or not at all
            int cut = in.charAt(limit - 1) == '\r' ? limit - 1 : limit;
            assertThat(out.toString(StandardCharsets.US_ASCII)).as("limit %d", limit).isEqualTo(in.substring(0, cut));
            assertThat(f.truncated()).isTrue();
            assertThat(f.size()).isEqualTo(in.length());
        }
    }

    @Test
    void long_body_lines_across_read_buffers_are_copied_byte_for_byte() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 40; i++) body.append(String.valueOf((char) ('a' + i % 26)).repeat(97 * i + 1)).append("\r\n");
        String in = "S: x\r\n\r\n" + body;
        assertThat(copy(in, Long.MAX_VALUE).facts().truncated()).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessageReader(Long.MAX_VALUE, x -> false).copy(new ByteArrayInputStream(in.getBytes(StandardCharsets.US_ASCII)), out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(in);
    }

    private static String unescape(String s) {
        return s.equals("''") ? "" : s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
