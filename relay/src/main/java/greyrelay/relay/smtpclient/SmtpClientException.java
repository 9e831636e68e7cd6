package greyrelay.relay.smtpclient;

import greyrelay.relay.text.SafeText;
import java.util.Objects;

/**
 * The conversation could not go on: the peer was unreachable, too slow, broke the protocol or went away.
 * A reply the peer sent in due form, even 4xx or 5xx, is never an exception; it is a {@link ServerReply}.
 *
 * <p>When this is thrown the connection is already closed: its state is unknown, so nothing more can be said
 * on it. The message is printable text ({@link SafeText}): it may quote the peer (a certificate's names, a broken
 * reply line) and goes into logs, queue states and probe histories as it is.
 */
public final class SmtpClientException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, so callers can map it to a result (e.g. "unreachable" vs "deferred"). */
    public enum Kind {
        /** TCP connect refused, unreachable or otherwise failed. */
        CONNECT_FAILED,
        /** TCP connect did not complete within {@link ClientLimits#connectTimeout()}. */
        CONNECT_TIMEOUT,
        /** A complete reply did not arrive within its deadline (slow drip, silence, no CRLF). */
        REPLY_TIMEOUT,
        /** Writing to the peer did not complete within {@link ClientLimits#replyTimeout()}: it stopped reading. */
        SEND_TIMEOUT,
        /** A reply line was longer than {@link ClientLimits#maxLineLength()}. */
        LINE_TOO_LONG,
        /** A reply had more than {@link ClientLimits#maxReplyLines()} lines. */
        TOO_MANY_LINES,
        /** Not SMTP: bad reply code, bad separator, lines of one reply with different codes. */
        MALFORMED_REPLY,
        /** The peer closed the connection before a complete reply. */
        CONNECTION_CLOSED,
        /** STARTTLS was accepted but the TLS handshake failed, timed out, or plaintext followed the 220. */
        TLS_FAILED,
        /** The message to send could not be read (a local problem, not the peer's). */
        MESSAGE_UNREADABLE,
        /** Any other socket error (e.g. connection reset). */
        IO_ERROR
    }

    private final Kind kind;

    SmtpClientException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind") + ": " + SafeText.printable(message), cause);
        this.kind = kind;
    }

    SmtpClientException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
