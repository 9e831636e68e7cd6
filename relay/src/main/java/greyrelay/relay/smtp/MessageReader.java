package greyrelay.relay.smtp;

import greyrelay.relay.policy.MessageFacts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The header section is every line up to the first empty one (RFC 5322 §2.1), whatever those lines look like: a
 * field in the obsolete syntax with white space before the colon ({@code Subject : x}, §4.5.3) is a field like any
 * other, and a line that is neither a field nor a continuation is passed through as it is without ending the header,
 * so nothing behind it escapes the filter and the count. A header line or field longer than {@link #MAX_FIELD_BUFFER}
 * is not examined further: the message is marked ({@link MessageFacts#headerFieldTooLong()}), the rest is drained
 * unwritten, and the {@code header-size} check refuses it; a field that cannot be read whole is never passed.
 */
final class MessageReader {
    /** The longest header line or field (folded lines together) examined; a longer one gets the message refused. */
    private static final int MAX_FIELD_BUFFER = 64 * 1024;

    private final long limit;
    private final Predicate<String> dropField;

    private long written;
    private boolean truncated;
    private int received;
    private boolean inHeader = true;
    private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean headerFieldTooLong;
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
                    if (line.size() > MAX_FIELD_BUFFER) tooLong();
                } else {
                    // the body: the rest of this line in the buffer goes out in one write
                    int end = i + 1;
                    while (end < n && buf[end] != '\r' && buf[end] != '\n') end++;
                    emitBytes(out, buf, i, end - i);
                    i = end - 1;
                }
            }
        }
        if (pendingCr) {
            endLine(out);
        } else if (inHeader ? line.size() > 0 : !lastWasLineEnd) {
            endLine(out); // data that does not end in a line ending gets one
        }
        if (inHeader) flushField(out);
        return new MessageFacts(written, truncated, received, headerFieldTooLong);
    }

    private void endLine(OutputStream out) throws IOException {
        if (!inHeader) {
            emit(out, CRLF);
            return;
        }
        byte[] l = line.toByteArray();
        line.reset();
        if (l.length == 0) {
            // the first empty line, and only that, ends the header section
            flushField(out);
            inHeader = false;
            emit(out, CRLF);
            return;
        }
        boolean continuation = l[0] == ' ' || l[0] == '\t';
        if (!continuation) flushField(out);
        appendField(l);
    }

    /** Adds a line to the field being read: a new field, its continuation, or a line that is neither (kept as one). */
    private void appendField(byte[] l) {
        if (field.size() > 0) field.write(CRLF, 0, CRLF.length);
        field.write(l, 0, l.length);
        if (field.size() > MAX_FIELD_BUFFER) tooLong();
    }

    /**
     * A header line or field over {@link #MAX_FIELD_BUFFER}: it cannot be examined whole, so neither it nor anything
     * behind it is written; the rest of the data is read and counted only, and the message will be refused.
     */
    private void tooLong() {
        headerFieldTooLong = true;
        written += field.size() + line.size(); // read, and part of the message's size, though never written
        if (written > limit) truncated = true;
        inHeader = false;
        field.reset();
        line.reset();
    }

    private void flushField(OutputStream out) throws IOException {
        if (field.size() == 0) return;
        byte[] f = field.toByteArray();
        field.reset();
        if (isNamed(f, "received")) received++;
        String text = new String(f, StandardCharsets.ISO_8859_1);
        if (dropField.test(text)) return;
        emit(out, f);
        emit(out, CRLF);
    }

    /**
     * Whether a field is named {@code name} (ASCII, any case), in the current syntax ({@code Received:}) or the obsolete
     * one with white space before the colon ({@code Received :}, RFC 5322 §4.5.3).
     */
    static boolean isNamed(byte[] f, String name) {
        int n = name.length();
        if (f.length <= n) return false;
        for (int i = 0; i < n; i++) {
            if (Character.toLowerCase((char) (f[i] & 0xff)) != name.charAt(i)) return false;
        }
        int i = n;
        while (i < f.length && (f[i] == ' ' || f[i] == '\t')) i++;
        return i < f.length && f[i] == ':';
    }

    private void emit(OutputStream out, byte[] bytes) throws IOException {
        if (bytes.length == 0) return;
        if (!truncated && written + bytes.length > limit) truncated = true;
        if (!truncated && !headerFieldTooLong) out.write(bytes);
        written += bytes.length;
        lastWasLineEnd = bytes.length >= 2 && bytes[bytes.length - 2] == '\r' && bytes[bytes.length - 1] == '\n';
    }

    /** Body bytes without a line ending; as many as fit under the limit are written, as byte by byte would. */
    private void emitBytes(OutputStream out, byte[] b, int off, int len) throws IOException {
        if (!truncated) {
            long room = limit - written;
            int fits = (int) Math.min(len, Math.max(0, room));
            if (fits < len) truncated = true;
            if (fits > 0 && !headerFieldTooLong) out.write(b, off, fits);
        }
        written += len;
        lastWasLineEnd = false;
    }

    private static final byte[] CRLF = {'\r', '\n'};
}
