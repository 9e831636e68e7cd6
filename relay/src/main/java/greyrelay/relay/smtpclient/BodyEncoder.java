package greyrelay.relay.smtpclient;

/**
 * Encodes a message for the DATA phase (RFC 5321 §4.5.2): doubles a '.' at the start of every line and ends the
 * body with CRLF before the terminating ".CRLF". The message is expected to use CRLF already; nothing else is
 * rewritten. A line starts after every LF, bare or not, so a stray "LF . CRLF" in a badly spooled message cannot
 * end the data early at a receiver that accepts bare LF.
 */
final class BodyEncoder {

    private static final byte[] END = {'.', '\r', '\n'};
    private static final byte[] LF_END = {'\n', '.', '\r', '\n'};
    private static final byte[] CRLF_END = {'\r', '\n', '.', '\r', '\n'};

    private boolean atLineStart = true;
    private byte last;
    private byte beforeLast;
    private long count;

    /** Encodes {@code length} bytes of {@code in} into {@code out}, which must hold {@code 2 * length}; returns the bytes written. */
    int encode(byte[] in, int length, byte[] out) {
        int written = 0;
        for (int i = 0; i < length; i++) {
            byte b = in[i];
            if (atLineStart && b == '.') {
                out[written++] = '.';
            }
            out[written++] = b;
            atLineStart = b == '\n';
            beforeLast = last;
            last = b;
        }
        count += length;
        return written;
    }

    /** The bytes that end the data: the missing end of the last line, if any, then ".CRLF". */
    byte[] finish() {
        if (count == 0 || count >= 2 && beforeLast == '\r' && last == '\n') {
            return END.clone();
        }
        return last == '\r' ? LF_END.clone() : CRLF_END.clone();
    }

    /** Message bytes encoded so far (before dot-stuffing). */
    long count() {
        return count;
    }
}
