package greyrelay.relay.smtpclient;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much the client is willing to wait for and read from a peer.
 *
 * @param connectTimeout  the TCP connect must complete within this
 * @param replyTimeout    overall deadline for each reply (greeting, command replies, STARTTLS handshake) and
 *                        for each block written to the peer; not a per-read timeout
 * @param dataTimeout     overall deadline for the reply after the end-of-data ".", which may take long
 *                        because the peer scans the message
 * @param maxLineLength   longest reply line accepted, in bytes, without CRLF
 * @param maxReplyLines   most lines accepted in one (multi-line) reply
 */
public record ClientLimits(Duration connectTimeout, Duration replyTimeout, Duration dataTimeout,
                           int maxLineLength, int maxReplyLines) {

    /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line including CRLF; accepting less would refuse valid peers. */
    static final int MIN_LINE_LENGTH = 510;
    static final int MAX_LINE_LENGTH = 65_536;
    static final int MAX_REPLY_LINES = 10_000;
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    public ClientLimits {
        requireTimeout("connectTimeout", connectTimeout);
        requireTimeout("replyTimeout", replyTimeout);
        requireTimeout("dataTimeout", dataTimeout);
        if (maxLineLength < MIN_LINE_LENGTH || maxLineLength > MAX_LINE_LENGTH) {
            throw new IllegalArgumentException("maxLineLength must be between " + MIN_LINE_LENGTH + " and "
                    + MAX_LINE_LENGTH + " bytes, was " + maxLineLength);
        }
        if (maxReplyLines < 1 || maxReplyLines > MAX_REPLY_LINES) {
            throw new IllegalArgumentException("maxReplyLines must be between 1 and " + MAX_REPLY_LINES
                    + ", was " + maxReplyLines);
        }
    }

    /**
     * Background values after RFC 5321 §4.5.3.2 (greeting and most commands 5 minutes, end of data 10 minutes),
     * with a 30 s connect timeout, 2048-byte lines and at most 100 lines per reply.
     */
    public static ClientLimits defaults() {
        return new ClientLimits(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(10), 2048, 100);
    }

    public ClientLimits withConnectTimeout(Duration timeout) {
        return new ClientLimits(timeout, replyTimeout, dataTimeout, maxLineLength, maxReplyLines);
    }

    public ClientLimits withReplyTimeout(Duration timeout) {
        return new ClientLimits(connectTimeout, timeout, dataTimeout, maxLineLength, maxReplyLines);
    }

    public ClientLimits withDataTimeout(Duration timeout) {
        return new ClientLimits(connectTimeout, replyTimeout, timeout, maxLineLength, maxReplyLines);
    }

    private static void requireTimeout(String name, Duration timeout) {
        Objects.requireNonNull(timeout, name);
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + MAX_TIMEOUT + ", was " + timeout);
        }
    }
}
