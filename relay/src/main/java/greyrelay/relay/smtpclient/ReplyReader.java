package greyrelay.relay.smtpclient;

import greyrelay.relay.smtpclient.SmtpClientException.Kind;
import greyrelay.relay.text.SafeText;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SMTP replies with bounded memory and an overall deadline per reply.
 *
 * <p>It keeps its own buffer (rather than a BufferedInputStream) so that it can set SO_TIMEOUT to the time
 * left before every read from the socket, and so that the client can see whether the peer sent more than it
 * was asked for (see {@link #hasBufferedBytes()}). A line ends at LF; a CR right before it is dropped. Memory
 * is the buffer plus one line of at most {@code maxLineLength} bytes plus the lines of one reply.
 */
final class ReplyReader {

    private static final int SHOWN_PREFIX = 80;

    private final byte[] buffer = new byte[8192];
    private final byte[] line;
    private final int maxLineLength;
    private final int maxReplyLines;
    private final Transcript transcript;
    private Socket socket;
    private InputStream in;
    private int position;
    private int limit;

    ReplyReader(Socket socket, InputStream in, ClientLimits limits, Transcript transcript) {
        this.maxLineLength = limits.maxLineLength();
        this.maxReplyLines = limits.maxReplyLines();
        this.line = new byte[maxLineLength + 1];
        this.transcript = transcript;
        switchTo(socket, in);
    }

    /** Reads from another stream from now on (after STARTTLS); anything still buffered is discarded. */
    void switchTo(Socket socket, InputStream in) {
        this.socket = socket;
        this.in = in;
        this.position = 0;
        this.limit = 0;
    }

    /** Whether bytes the peer sent are waiting unread. */
    boolean hasBufferedBytes() {
        return position < limit;
    }

    /**
     * Reads one complete reply, recording each line in the transcript.
     *
     * @param deadline a {@link System#nanoTime()} value by which the whole reply must have arrived
     * @param timeout  the timeout the deadline came from, for the message
     */
    ServerReply read(long deadline, Duration timeout) throws SmtpClientException, IOException {
        List<String> texts = new ArrayList<>();
        int code = 0;
        while (true) {
            int length = readLine(deadline, timeout);
            String shown = SafeText.fromBytes(line, 0, length);
            transcript.server(shown);
            int lineCode = parseCode(length);
            if (lineCode < 0) {
                throw new SmtpClientException(Kind.MALFORMED_REPLY, "not an SMTP reply line: \"" + prefix(shown) + "\"");
            }
            if (code != 0 && lineCode != code) {
                throw new SmtpClientException(Kind.MALFORMED_REPLY,
                        "reply lines with different codes: " + code + " then " + lineCode);
            }
            code = lineCode;
            texts.add(length > 4 ? SafeText.fromBytes(line, 4, length - 4) : "");
            boolean last = length == 3 || line[3] == ' ';
            if (last) {
                return new ServerReply(code, texts);
            }
            if (texts.size() >= maxReplyLines) {
                throw new SmtpClientException(Kind.TOO_MANY_LINES,
                        "reply has more than " + maxReplyLines + " lines");
            }
        }
    }

    /**
     * The code of the line in {@link #line}, or -1 when it is not "DDD", "DDD text" or "DDD-text" with a code of
     * 200-599 (RFC 5321 §4.2).
     */
    private int parseCode(int length) {
        if (length < 3 || line[0] < '2' || line[0] > '5' || !isDigit(line[1]) || !isDigit(line[2])) {
            return -1;
        }
        if (length > 3 && line[3] != ' ' && line[3] != '-') {
            return -1;
        }
        return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    }

    /** Reads one line into {@link #line}; returns its length without the line ending. */
    private int readLine(long deadline, Duration timeout) throws SmtpClientException, IOException {
        int count = 0;
        while (true) {
            if (position == limit) {
                fill(deadline, timeout);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                return count > 0 && line[count - 1] == '\r' ? count - 1 : count;
            }
            // Room for maxLineLength bytes of text plus the CR of the line ending.
            if (count > maxLineLength || count == maxLineLength && b != '\r') {
                transcript.server(prefix(SafeText.fromBytes(line, 0, count)) + " [line too long]");
                throw new SmtpClientException(Kind.LINE_TOO_LONG,
                        "reply line longer than " + maxLineLength + " bytes");
            }
            line[count++] = b;
        }
    }

    private void fill(long deadline, Duration timeout) throws SmtpClientException, IOException {
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timedOut(timeout);
            }
            socket.setSoTimeout(Math.clamp((remaining + 999_999) / 1_000_000, 1, Integer.MAX_VALUE));
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
            } catch (SocketTimeoutException e) {
                throw timedOut(timeout);
            }
            if (n < 0) {
                throw new SmtpClientException(Kind.CONNECTION_CLOSED, "peer closed the connection before a complete reply");
            }
            if (n > 0) {
                position = 0;
                limit = n;
                return;
            }
        }
    }

    static SmtpClientException timedOut(Duration timeout) {
        return new SmtpClientException(Kind.REPLY_TIMEOUT, "no complete reply within " + describe(timeout));
    }

    static String describe(Duration timeout) {
        return timeout.toMillis() < 10_000 ? timeout.toMillis() + " ms" : timeout.toSeconds() + " s";
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static String prefix(String text) {
        return text.length() <= SHOWN_PREFIX ? text : text.substring(0, SHOWN_PREFIX) + "...";
    }
}
