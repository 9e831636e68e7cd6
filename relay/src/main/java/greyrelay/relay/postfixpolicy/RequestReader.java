package greyrelay.relay.postfixpolicy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one policy request: {@code name=value} lines ending with an empty line (LF, a CR before it is dropped).
 * Bounded: a line of at most {@link #MAX_LINE} bytes, at most {@link #MAX_ATTRIBUTES} attributes and
 * {@link #MAX_REQUEST} bytes in all, no control characters; so a client can make us hold at most one bounded request
 * per connection. Not thread-safe: one per connection.
 */
final class RequestReader {
    static final int MAX_LINE = 8 * 1024;
    static final int MAX_ATTRIBUTES = 256;
    static final int MAX_REQUEST = 64 * 1024;

    /** What one read produced. */
    sealed interface Read {
        /** A whole request: the attributes in the order sent (a repeated name keeps its last value). */
        record Request(Map<String, String> attributes) implements Read {}

        /** The client closed the connection between requests. */
        record Closed() implements Read {}

        /** The client closed in the middle of a request (no empty line): nothing to answer. */
        record Truncated() implements Read {}

        /** Not a request we can read; answer the error action and close. */
        record Malformed(String why) implements Read {}
    }

    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];
    /** Our own read-ahead: a byte at a time through a BufferedInputStream takes its lock per byte. */
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int limit;

    RequestReader(InputStream in) {
        this.in = in;
    }

    /** The next byte, or -1 at the end of the stream. */
    private int read() throws IOException {
        if (pos == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) return -1; // a blocking stream returns at least one byte or -1
            pos = 0;
            limit = n;
        }
        return buffer[pos++] & 0xff;
    }

    Read next() throws IOException {
        Map<String, String> attributes = new LinkedHashMap<>();
        int total = 0;
        int lines = 0;
        while (true) {
            int len = 0;
            int b;
            boolean overlong = false;
            while ((b = read()) >= 0 && b != '\n') {
                if (len == MAX_LINE) {
                    overlong = true;
                    break;
                }
                line[len++] = (byte) b;
            }
            if (overlong) return new Read.Malformed("a line longer than " + MAX_LINE + " bytes");
            if (b < 0) return len == 0 && lines == 0 ? new Read.Closed() : new Read.Truncated();
            if (len > 0 && line[len - 1] == '\r') len--;
            total += len + 1;
            if (total > MAX_REQUEST) return new Read.Malformed("a request longer than " + MAX_REQUEST + " bytes");
            if (len == 0) {
                if (lines == 0) continue; // stray empty lines between requests are harmless
                return new Read.Request(attributes);
            }
            lines++;
            int eq = -1;
            for (int i = 0; i < len; i++) {
                int c = line[i] & 0xff;
                if (c < 0x20 || c == 0x7f) return new Read.Malformed("a control character in a line");
                if (c == '=' && eq < 0) eq = i;
            }
            // '=' is ASCII and never part of a UTF-8 sequence: splitting the bytes there splits the text there
            if (eq <= 0) return new Read.Malformed("a line that is not name=value");
            if (attributes.size() >= MAX_ATTRIBUTES) return new Read.Malformed("more than " + MAX_ATTRIBUTES + " attributes");
            attributes.put(new String(line, 0, eq, StandardCharsets.UTF_8), new String(line, eq + 1, len - eq - 1, StandardCharsets.UTF_8));
        }
    }
}
