package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyEncoderTest {

    /** Escapes: \r and \n are written literally in the table. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty message                          | ''                   | .\\r\\n",
            "ends with CRLF                         | a\\r\\n              | a\\r\\n.\\r\\n",
            "no final line ending                   | a                    | a\\r\\n.\\r\\n",
            "ends with a bare CR                    | a\\r                 | a\\r\\n.\\r\\n",
            "ends with a bare LF                    | a\\n                 | a\\n\\r\\n.\\r\\n",
            "leading dot                            | .a\\r\\n             | ..a\\r\\n.\\r\\n",
            "a lone dot line cannot end the data    | a\\r\\n.\\r\\nb\\r\\n | a\\r\\n..\\r\\nb\\r\\n.\\r\\n",
            "a dot after a bare LF is doubled too   | a\\n.\\r\\n          | a\\n..\\r\\n.\\r\\n",
            "a dot inside a line is left alone      | a.b\\r\\n            | a.b\\r\\n.\\r\\n",
            "a dot after a bare CR is left alone    | a\\r.b\\r\\n          | a\\r.b\\r\\n.\\r\\n"})
    void encodes_the_message_for_data(String name, String message, String wire) {
        assertThat(encode(unescape(message), 8192)).isEqualTo(unescape(wire));
    }

    @Test
    void keeps_line_start_and_ending_state_across_chunks() {
        String message = "first\r\n.second\r\n..third\r\nlast\r";

        for (int chunk = 1; chunk <= 4; chunk++) {
            assertThat(encode(message, chunk)).as("chunk size %d", chunk)
                    .isEqualTo("first\r\n..second\r\n...third\r\nlast\r\n.\r\n");
        }
    }

    @Test
    void counts_message_bytes_before_stuffing() {
        BodyEncoder encoder = new BodyEncoder();
        byte[] in = ".\r\n.\r\n".getBytes(StandardCharsets.US_ASCII);

        encoder.encode(in, in.length, new byte[2 * in.length]);

        assertThat(encoder.count()).isEqualTo(6);
    }

    private static String encode(String message, int chunkSize) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        BodyEncoder encoder = new BodyEncoder();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        byte[] out = new byte[2 * chunkSize];
        for (int offset = 0; offset < bytes.length; offset += chunkSize) {
            byte[] chunk = Arrays.copyOfRange(bytes, offset, Math.min(bytes.length, offset + chunkSize));
            wire.write(out, 0, encoder.encode(chunk, chunk.length, out));
        }
        wire.writeBytes(encoder.finish());
        return wire.toString(StandardCharsets.UTF_8);
    }

    private static String unescape(String text) {
        return text.replace("\\r", "\r").replace("\\n", "\n");
    }
}
