package greyrelay.relay.smtp;

import greyrelay.relay.policy.MessageFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Copies the (dot-unstuffed) DATA stream into the spool, and on the way:
 * <ul>
 *   <li>normalises bare LF and bare CR to CRLF, so what we relay has one line-ending form (SMTP smuggling defence:
 *       a {@code <LF>.<LF>} inside the data can never become an end-of-data downstream);</li>
 *   <li>stops writing after {@code limit} bytes but keeps reading to the end, so the session stays in step and the
 *       client gets a clean 552 (the library would otherwise parse the unread body as commands);</li>
 *   <li>counts {@code Received:} fields of the header (mail-loop check) and drops header fields the filter refuses
 *       (e.g. a forged {@code Authentication-Results} naming our host).</li>
 * </ul>
 * Well-formed CRLF input is copied byte for byte.
 */
final class MessageReader {
    /** A header field larger than this is passed through unexamined rather than buffered further. */
    private static final int MAX_FIELD_BUFFER = 64 * 1024;

    private final long limit;
    private final Predicate<String> dropField;

    private long written;
    private boolean truncated;
    private int received;
    private boolean inHeader = true;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean fieldOverflow;
    private boolean lastWasLineEnd = true;

    /** @param dropField given a whole header field (name, colon, value, folded lines joined with CRLF), true to drop it */
    MessageReader(long limit, Predicate<String> dropField) {
        this.limit = limit;
        this.dropField = dropField;
    }

    MessageFacts copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[8192];
        boolean pendingCr = false;
        int n;
        while ((n = in.read(buf)) != -1) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (pendingCr) {
                    pendingCr = false;
                    endLine(out);
                    if (b == '\n') continue;
                }
                if (b == '\r') {
                    pendingCr = true;
                } else if (b == '\n') {
                    endLine(out);
                } else if (inHeader) {
                    line.write(b);
                    if (line.size() > MAX_FIELD_BUFFER) {
                        // a pathological header line: stop examining, pass everything through
                        flushField(out);
                        inHeader = false;
                        emit(out, line.toByteArray());
                        line.reset();
                    }
                } else {
                    emitByte(out, b);
                }
            }
        }
        if (pendingCr) {
            endLine(out);
        } else if (inHeader ? line.size() > 0 : !lastWasLineEnd) {
            endLine(out); // data that does not end in a line ending gets one
        }
        if (inHeader) flushField(out);
        return new MessageFacts(written, truncated, received);
    }

    private void endLine(OutputStream out) throws IOException {
        if (!inHeader) {
            emit(out, CRLF);
            return;
        }
        byte[] l = line.toByteArray();
        line.reset();
        boolean continuation = l.length > 0 && (l[0] == ' ' || l[0] == '\t');
        if (continuation && (field.size() > 0 || fieldOverflow)) {
            appendField(out, l);
            return;
        }
        flushField(out);
        if (l.length == 0 || !looksLikeFieldStart(l)) {
            // blank line (or a body that starts without one): the header is over
            inHeader = false;
            emit(out, l);
            emit(out, CRLF);
            return;
        }
        appendField(out, l);
    }

    private void appendField(OutputStream out, byte[] l) throws IOException {
        if (fieldOverflow) {
            emit(out, l);
            emit(out, CRLF);
            return;
        }
        if (field.size() > 0) field.write(CRLF);
        field.write(l);
        if (field.size() > MAX_FIELD_BUFFER) {
            // too big to examine: let it through as is
            emit(out, field.toByteArray());
            emit(out, CRLF);
            countReceived(field.toByteArray());
            field.reset();
            fieldOverflow = true;
        }
    }

    private void flushField(OutputStream out) throws IOException {
        if (fieldOverflow) {
            fieldOverflow = false;
            return;
        }
        if (field.size() == 0) return;
        byte[] f = field.toByteArray();
        field.reset();
        countReceived(f);
        String text = new String(f, StandardCharsets.ISO_8859_1);
        if (dropField.test(text)) return;
        emit(out, f);
        emit(out, CRLF);
    }

    private void countReceived(byte[] f) {
        if (f.length >= 9 && new String(f, 0, 9, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).equals("received:")) {
            received++;
        }
    }

    private static boolean looksLikeFieldStart(byte[] l) {
        for (int i = 0; i < l.length; i++) {
            byte c = l[i];
            if (c == ':') return i > 0;
            if (c <= 32 || c >= 127) return false;
        }
        return false;
    }

    private void emit(OutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        if (!truncated && written + bytes.length > limit) truncated = true;
        if (!truncated) out.write(bytes);
        written += bytes.length;
        lastWasLineEnd = bytes.length >= 2 && bytes[bytes.length - 2] == '\r' && bytes[bytes.length - 1] == '\n';
    }

    private void emitByte(OutputStream out, byte b) throws IOException {
        if (!truncated && written + 1 > limit) truncated = true;
        if (!truncated) out.write(b);
        written++;
        lastWasLineEnd = false;
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
