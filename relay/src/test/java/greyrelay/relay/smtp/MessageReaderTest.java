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

    private static String unescape(String s) {
        return s.equals("''") ? "" : s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
