package greyrelay.relay.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;

class DataStreamTest {

    /** The session's input: buffered, over a source that hands out at most {@code perRead} bytes at a time. */
    private static InputStream session(byte[] wire, int perRead) {
        InputStream trickle = new ByteArrayInputStream(wire) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, perRead));
            }
        };
        return new BufferedInputStream(trickle, 64);
    }

    private static String decode(InputStream data, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        int n;
        while ((n = data.read(buf)) != -1) {
            assertThat(n).as("a read returns something or the end").isPositive();
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String rest(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static String visible(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void ends_at_the_dot_line_unstuffs_dots_and_leaves_the_next_commands_in_the_input() throws Exception {
        InputStream in = session(bytes("Subject: x\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n"), 1000);
        assertThat(decode(new DataStream(in), 4096)).isEqualTo("Subject: x\r\n\r\n.leading dot\r\n");
        assertThat(rest(in)).isEqualTo("QUIT\r\n");
    }

    @Test
    void a_first_line_that_is_a_single_dot_is_an_empty_message() throws Exception {
        InputStream in = session(bytes(".\r\nMAIL FROM:<a@b>\r\n"), 1000);
        assertThat(decode(new DataStream(in), 16)).isEmpty();
        assertThat(rest(in)).isEqualTo("MAIL FROM:<a@b>\r\n");
    }

    @Test
    void input_that_ends_before_the_dot_line_is_an_eof_error() {
        assertThatThrownBy(() -> decode(new DataStream(session(bytes("half a message\r\n"), 1000)), 64))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void a_stuffed_dot_on_the_first_line_is_removed_too() throws Exception {
        assertThat(decode(new DataStream(session(bytes("..first\r\n.\r\n"), 1000)), 64)).isEqualTo(".first\r\n");
    }

    @Test
    void decodes_exactly_as_the_library_s_streams_whatever_the_bytes_and_the_read_sizes() throws Exception {
        Random random = new Random(20261207);
        byte[] alphabet = bytes(".\r\nab");
        for (int round = 0; round < 20_000; round++) {
            int length = random.nextInt(40);
            byte[] text = new byte[length];
            for (int i = 0; i < length; i++) text[i] = alphabet[random.nextInt(alphabet.length)];
            byte[] wire = new ByteArrayOutputStream() {{
                writeBytes(text);
                writeBytes(bytes("\r\n.\r\nNEXT"));
            }}.toByteArray();
            String context = "round " + round + ": " + visible(new String(wire, StandardCharsets.ISO_8859_1));

            // the library does not unstuff a dot on the very first line (its unstuffer starts without a line end before
            // it), which RFC 5321 §4.5.2 asks for; fed a CRLF first, it does, and that CRLF is taken off its output
            byte[] prefixed = new byte[wire.length + 2];
            prefixed[0] = '\r';
            prefixed[1] = '\n';
            System.arraycopy(wire, 0, prefixed, 2, wire.length);
            InputStream theirsIn = session(prefixed, 1000);
            String theirs;
            String theirRest;
            try {
                theirs = decode(new DotUnstuffingInputStream(new DotTerminatedInputStream(theirsIn)), 4096);
                assertThat(theirs).startsWith("\r\n");
                theirs = theirs.substring(2);
                theirRest = rest(theirsIn);
            } catch (EOFException e) {
                theirs = "EOF";
                theirRest = "";
            }
            int perRead = 1 + random.nextInt(8);
            int chunk = 1 + random.nextInt(8);
            InputStream oursIn = session(wire, perRead);
            String ours;
            String ourRest;
            try {
                ours = decode(new DataStream(oursIn), chunk);
                ourRest = rest(oursIn);
            } catch (EOFException e) {
                ours = "EOF";
                ourRest = "";
            }
            assertThat(visible(ours)).as(context).isEqualTo(visible(theirs));
            assertThat(visible(ourRest)).as(context).isEqualTo(visible(theirRest));
        }
    }
}
