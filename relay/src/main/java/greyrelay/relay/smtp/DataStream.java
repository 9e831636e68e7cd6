package greyrelay.relay.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The text of DATA as the session reads it: up to the line that is a single "." (RFC 5321 §4.5.2), with the leading dot
 * of every other line that starts with one removed; the end line itself is consumed and not returned. Lines end at
 * CRLF, and the text starts at a line start, so a first line "." is an empty message.
 *
 * <p>It reads the session's buffered input in blocks and gives back what it read past the end line ({@code mark},
 * {@code reset}, {@code skip}), so pipelined commands after the message stay for the session. The library's own pair of
 * streams does the same a byte at a time, three calls deep for each: for a 1 KiB message that was a few percent of the
 * relay's CPU. A premature end of the input is an {@link EOFException}, as there.
 */
final class DataStream extends InputStream {
    private static final int BLOCK = 8192;

    private enum State { LINE_START, MID, CR, DOT, DOT_CR, END }

    private final InputStream in;
    private final byte[] block = new byte[BLOCK];
    private final byte[] one = new byte[1];
    private State state = State.LINE_START;
    /** A byte decoded but not yet returned (a ".CR" line start followed by something else gives two bytes for one). */
    private int held = -1;

    /** @param in the session's input; must support mark and reset (the library's is a BufferedInputStream) */
    DataStream(InputStream in) {
        if (!in.markSupported()) throw new IllegalArgumentException("the input must support mark and reset");
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int off, int len) throws IOException {
        if (len == 0) return 0;
        int w = off;
        int end = off + len;
        if (held >= 0) {
            out[w++] = (byte) held;
            held = -1;
        }
        if (state == State.END) return w > off ? w - off : -1;
        if (w == end) return len;
        // a block of dots and CRs may decode to nothing yet: read on, as a read that returns 0 would stall its caller
        do {
            in.mark(BLOCK);
            int n = in.read(block, 0, Math.min(BLOCK, end - w));
            if (n < 0) throw new EOFException("Pre-mature end of <CRLF>.<CRLF> terminated data");
            int i = 0;
            while (i < n && state != State.END && w < end) {
                byte b = block[i++];
                switch (state) {
                    case LINE_START -> {
                        if (b == '.') {
                            state = State.DOT;
                        } else {
                            out[w++] = b;
                            state = b == '\r' ? State.CR : State.MID;
                        }
                    }
                    case MID -> {
                        out[w++] = b;
                        if (b == '\r') state = State.CR;
                    }
                    case CR -> {
                        out[w++] = b;
                        state = b == '\n' ? State.LINE_START : b == '\r' ? State.CR : State.MID;
                    }
                    case DOT -> {
                        if (b == '\r') {
                            state = State.DOT_CR;
                        } else {
                            out[w++] = b; // a stuffed dot: the first is dropped
                            state = State.MID;
                        }
                    }
                    case DOT_CR -> {
                        if (b == '\n') {
                            state = State.END;
                        } else {
                            // ".", CR, then more on the line: the dot is dropped, the CR is text
                            out[w++] = '\r';
                            if (w < end) out[w++] = b;
                            else held = b & 0xff;
                            state = b == '\r' ? State.CR : State.MID;
                        }
                    }
                    case END -> throw new IllegalStateException();
                }
            }
            // give back what was read past the end line (or past what fitted in out)
            in.reset();
            long skip = i;
            while (skip > 0) {
                long s = in.skip(skip);
                if (s <= 0) throw new IOException("cannot skip the data just read");
                skip -= s;
            }
        } while (w == off && state != State.END);
        if (w == off && state == State.END) return -1;
        return w - off;
    }
}
