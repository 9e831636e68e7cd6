package greyrelay.relay.postfixpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reader keeps its own read-ahead: requests must come out the same however the bytes arrive. */
class RequestReaderTest {

    private static final String TWO = "request=smtpd_access_policy\nsender=jäne@example.org\nx=a=b\n\n"
            + "request=smtpd_access_policy\r\nrecipient=bob@example.com\r\n\r\n";

    /** Hands out at most one byte per read, as a slow client's packets might. */
    private static InputStream trickle(byte[] bytes) {
        InputStream in = new ByteArrayInputStream(bytes);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, Math.min(len, 1));
            }
        };
    }

    private static void readsBoth(InputStream in) throws IOException {
        RequestReader reader = new RequestReader(in);

        assertThat(reader.next()).isEqualTo(new RequestReader.Read.Request(Map.of("request", "smtpd_access_policy",
                "sender", "jäne@example.org", "x", "a=b")));
        assertThat(reader.next()).isEqualTo(new RequestReader.Read.Request(Map.of("request", "smtpd_access_policy",
                "recipient", "bob@example.com")));
        assertThat(reader.next()).isInstanceOf(RequestReader.Read.Closed.class);
    }

    @Test
    void reads_pipelined_requests_from_one_read() throws IOException {
        readsBoth(new ByteArrayInputStream(TWO.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void reads_requests_arriving_a_byte_at_a_time_with_a_utf8_character_split() throws IOException {
        readsBoth(trickle(TWO.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void tells_a_request_cut_short_from_a_connection_closed_between_requests() throws IOException {
        RequestReader reader = new RequestReader(trickle("request=smtpd_access_policy\n\nsender=a@b".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next()).isInstanceOf(RequestReader.Read.Request.class);
        assertThat(reader.next()).isInstanceOf(RequestReader.Read.Truncated.class);
    }

    @Test
    void refuses_a_line_without_a_name() throws IOException {
        RequestReader reader = new RequestReader(new ByteArrayInputStream("=value\n\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next()).isEqualTo(new RequestReader.Read.Malformed("a line that is not name=value"));
    }
}
