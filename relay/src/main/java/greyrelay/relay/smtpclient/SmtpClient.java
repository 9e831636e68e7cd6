package greyrelay.relay.smtpclient;

import greyrelay.relay.smtpclient.SmtpClientException.Kind;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A small SMTP client for one conversation with one peer, bounded in time and memory whatever the peer does.
 *
 * <p>Call order: {@link #connect} (reads the greeting) → {@link #ehlo} (or {@link #helo} if EHLO is refused)
 * → optionally {@link #startTls} then {@link #ehlo} again → {@link #command} for MAIL, RCPT, RSET, NOOP … →
 * optionally {@link #data} → {@link #quit}. One command, one reply; or, with a peer that announced PIPELINING
 * (RFC 2920), a {@link Batch} of commands in one write whose replies are then read in order.
 *
 * <p>Every reply the peer sends in due form, 4xx and 5xx included, is returned as a {@link ServerReply}. When
 * the conversation cannot go on (timeout, protocol violation, closed connection) an {@link SmtpClientException}
 * is thrown and the connection is closed. Not thread-safe: one thread runs the conversation.
 */
public final class SmtpClient implements AutoCloseable {

    /** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CRLF. */
    static final int MAX_COMMAND_OCTETS = 512;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);
    private static final int CHUNK = 8192;
    private static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Socket raw;
    private final ClientLimits limits;
    private final Transcript transcript;
    private final Watchdog watchdog;
    private final ReplyReader reader;
    private Socket socket;
    private OutputStream out;
    private ServerReply greeting;
    private boolean tls;
    private boolean closed;
    /** {@link System#nanoTime()} after which no wait may end: the caller's overall deadline, if it has one. */
    private final long until;

    private SmtpClient(Socket raw, ClientLimits limits, Transcript transcript, long until) throws IOException {
        this.until = until;
        this.raw = raw;
        this.socket = raw;
        this.limits = limits;
        this.transcript = transcript;
        this.watchdog = new Watchdog(raw);
        this.out = raw.getOutputStream();
        this.reader = new ReplyReader(raw, raw.getInputStream(), limits, transcript);
    }

    /**
     * Connects within {@link ClientLimits#connectTimeout()} and reads the greeting within
     * {@link ClientLimits#replyTimeout()}. A greeting that is not 220 (e.g. 554) is not an error: check
     * {@link #greeting()} and {@link #quit()}.
     *
     * @param address an already resolved address; this client never looks anything up in DNS
     */
    public static SmtpClient connect(InetSocketAddress address, ClientLimits limits, Transcript transcript)
            throws SmtpClientException {
        return connect(address, limits, transcript, NO_DEADLINE);
    }

    /**
     * {@link #connect(InetSocketAddress, ClientLimits, Transcript)} with an overall deadline on top of the limits': no
     * connect, reply or write of this client waits past {@code untilNanos} ({@link System#nanoTime()} based), so a
     * peer that answers each command just in time cannot hold the caller for the sum of all deadlines.
     */
    public static SmtpClient connect(InetSocketAddress address, ClientLimits limits, Transcript transcript, long untilNanos)
            throws SmtpClientException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(transcript, "transcript");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address must be resolved (the client does no DNS lookups): " + address);
        }
        String peer = describe(address);
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            raw.connect(address, millis(capped(limits.connectTimeout(), untilNanos)));
        } catch (SocketTimeoutException e) {
            closeQuietly(raw);
            throw failedToConnect(transcript, new SmtpClientException(Kind.CONNECT_TIMEOUT,
                    "connect to " + peer + " did not complete within " + ReplyReader.describe(limits.connectTimeout()), e));
        } catch (IOException e) {
            closeQuietly(raw);
            throw failedToConnect(transcript, new SmtpClientException(Kind.CONNECT_FAILED,
                    "connect to " + peer + " failed: " + e.getMessage(), e));
        }
        transcript.note("connected to " + peer);
        SmtpClient client;
        try {
            client = new SmtpClient(raw, limits, transcript, untilNanos);
        } catch (IOException e) {
            closeQuietly(raw);
            throw failedToConnect(transcript, new SmtpClientException(Kind.IO_ERROR, "socket unusable: " + e.getMessage(), e));
        }
        client.greeting = client.readReply(limits.replyTimeout());
        return client;
    }

    /** The reply the server greeted us with. */
    public ServerReply greeting() {
        return greeting;
    }

    /** Whether TLS has been established with {@link #startTls}. */
    public boolean isTls() {
        return tls;
    }

    /** Whether the connection is still usable: not closed, not failed, not quit. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Sends one command line and reads its reply.
     *
     * @param line the command without CRLF; at most 510 octets in UTF-8 (512 with CRLF)
     * @throws IllegalArgumentException if the line contains CR, LF or NUL, or is too long: callers must never
     *                                  pass text they did not check, or a stranger's address could smuggle
     *                                  a second command
     */
    public ServerReply command(String line) throws SmtpClientException {
        byte[] bytes = commandBytes(line);
        ensureOpen();
        transcript.client(line);
        send(bytes, 0, bytes.length);
        return readReply(limits.replyTimeout());
    }

    /**
     * Commands whose replies are read one after the other with {@link Batch#next()}. With {@code pipelined} (only when the
     * peer announced PIPELINING) they all go out now in one write, so a transaction costs one round trip instead of one
     * per command; otherwise each is sent when its reply is asked for, and commands never asked for are never sent.
     * RFC 2920 allows only the last command of a group to wait for the peer (DATA), so that is the caller's to keep.
     *
     * @throws IllegalArgumentException as {@link #command} for any line
     */
    public Batch batch(List<String> lines, boolean pipelined) throws SmtpClientException {
        List<byte[]> encoded = new ArrayList<>(lines.size());
        for (String line : lines) encoded.add(commandBytes(line));
        ensureOpen();
        Batch batch = new Batch(lines, encoded);
        if (pipelined && !encoded.isEmpty()) {
            Pending all = new Pending(64 * encoded.size());
            for (int i = 0; i < encoded.size(); i++) {
                transcript.client(lines.get(i));
                all.writeBytes(encoded.get(i));
            }
            send(all.bytes(), 0, all.size());
            batch.sent = encoded.size();
        }
        return batch;
    }

    /** The commands of {@link #batch}: their replies in order. */
    public final class Batch {
        private final List<String> lines;
        private final List<byte[]> encoded;
        private int sent;
        private int read;

        private Batch(List<String> lines, List<byte[]> encoded) {
            this.lines = lines;
            this.encoded = encoded;
        }

        /** The reply to the next command (sent first, if it was not sent with the others). */
        public ServerReply next() throws SmtpClientException {
            if (read == encoded.size()) throw new IllegalStateException("every command of the batch has its reply");
            if (read == sent) {
                transcript.client(lines.get(sent));
                byte[] bytes = encoded.get(sent++);
                send(bytes, 0, bytes.length);
            }
            read++;
            return readReply(limits.replyTimeout());
        }

        /**
         * Reads the replies owed for commands already sent and returns the last of them, or empty when none was owed (so
         * the conversation is in step again; in lock-step nothing is owed, the rest is simply not sent).
         */
        public Optional<ServerReply> drain() throws SmtpClientException {
            ServerReply last = null;
            while (read < sent) last = next();
            return Optional.ofNullable(last);
        }
    }

    /** EHLO, with the extensions the peer announced. A refused EHLO (e.g. 502) is returned, not thrown. */
    public EhloReply ehlo(String hostname) throws SmtpClientException {
        return EhloReply.parse(command("EHLO " + hostname));
    }

    /** HELO, for peers that refuse EHLO. */
    public ServerReply helo(String hostname) throws SmtpClientException {
        return command("HELO " + hostname);
    }

    /**
     * Opportunistic STARTTLS (RFC 3207), without checking the certificate's host name: whether the certificate
     * is trusted at all is up to {@code factory}'s trust managers. See
     * {@link #startTls(SSLSocketFactory, String, boolean)}.
     */
    public ServerReply startTls(SSLSocketFactory factory, String peerHost) throws SmtpClientException {
        return startTls(factory, peerHost, false);
    }

    /**
     * Sends STARTTLS; on 220 performs the TLS handshake within {@link ClientLimits#replyTimeout()}, after which
     * all I/O goes over TLS and the caller must send EHLO again (the peer forgets everything).
     *
     * @param peerHost       the peer's host name, sent as SNI (and checked when {@code verifyHostname})
     * @param verifyHostname whether the certificate must name {@code peerHost} (HTTPS-style identity check)
     * @return the reply to STARTTLS: if it is not 220, TLS is not established ({@link #isTls()} stays false) and
     *         the connection remains usable in plain text
     * @throws SmtpClientException {@link Kind#TLS_FAILED} if the handshake fails or times out, or if the peer sent
     *                             anything after its 220 before the handshake (a plaintext injection, as in
     *                             CVE-2011-0411); the connection is then closed
     */
    public ServerReply startTls(SSLSocketFactory factory, String peerHost, boolean verifyHostname)
            throws SmtpClientException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(peerHost, "peerHost");
        ensureOpen();
        if (tls) {
            throw new IllegalStateException("TLS is already established");
        }
        ServerReply reply = command("STARTTLS");
        if (reply.code() != 220) {
            return reply;
        }
        if (reader.hasBufferedBytes() || rawBytesWaiting()) {
            throw fail(new SmtpClientException(Kind.TLS_FAILED,
                    "peer sent data after its 220 to STARTTLS, before the TLS handshake; not trusting that stream"));
        }
        watchdog.arm(deadline(limits.replyTimeout()));
        try {
            SSLSocket ssl = (SSLSocket) factory.createSocket(raw, peerHost, raw.getPort(), true);
            ssl.setUseClientMode(true);
            if (verifyHostname) {
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
            }
            ssl.setSoTimeout(millis(limits.replyTimeout()));
            ssl.startHandshake();
            socket = ssl;
            out = ssl.getOutputStream();
            reader.switchTo(ssl, ssl.getInputStream());
            tls = true;
            SSLSession session = ssl.getSession();
            transcript.note("TLS established (" + session.getProtocol() + ", " + session.getCipherSuite() + ")");
            return reply;
        } catch (IOException e) {
            String why = watchdog.fired() || e instanceof SocketTimeoutException
                    ? "TLS handshake did not complete within " + ReplyReader.describe(limits.replyTimeout())
                    : "TLS handshake failed: " + e.getMessage();
            throw fail(new SmtpClientException(Kind.TLS_FAILED, why, e));
        } finally {
            watchdog.disarm();
        }
    }

    /**
     * Sends DATA and, on 354, the message, then reads the final reply within {@link ClientLimits#dataTimeout()}.
     *
     * @param message the message (headers and body) with CRLF line endings; it is dot-stuffed and ended with
     *                CRLF "." CRLF here, nothing else is rewritten. The caller closes it.
     * @return the reply to DATA if it was not 354 (refused), otherwise the reply to the end of data
     */
    public ServerReply data(InputStream message) throws SmtpClientException {
        Objects.requireNonNull(message, "message");
        ServerReply reply = command("DATA");
        if (reply.code() != 354) {
            return reply;
        }
        return message(message);
    }

    /**
     * After a {@code 354} to DATA (sent by {@link #data} or in a {@link Batch}): sends the message as {@link #data}
     * does and reads the final reply within {@link ClientLimits#dataTimeout()}.
     */
    public ServerReply message(InputStream message) throws SmtpClientException {
        Objects.requireNonNull(message, "message");
        ensureOpen();
        BodyEncoder encoder = new BodyEncoder();
        byte[] chunk = new byte[CHUNK];
        byte[] encoded = new byte[2 * CHUNK];
        // the encoded bytes go out in as few writes as they fill; a small message and its end in one (each write is a
        // system call, and one segment for the peer to read)
        Pending pending = new Pending(CHUNK + 16);
        while (true) {
            int n;
            try {
                n = message.read(chunk);
            } catch (IOException e) {
                throw fail(new SmtpClientException(Kind.MESSAGE_UNREADABLE,
                        "reading the message failed after " + encoder.count() + " bytes: " + e.getMessage(), e));
            }
            if (n < 0) {
                break;
            }
            pending.write(encoded, 0, encoder.encode(chunk, n, encoded));
            if (pending.size() >= CHUNK) {
                send(pending.bytes(), 0, pending.size());
                pending.reset();
            }
        }
        transcript.client("<message body, " + encoder.count() + " bytes>");
        transcript.client(".");
        pending.writeBytes(encoder.finish());
        send(pending.bytes(), 0, pending.size());
        return readReply(limits.dataTimeout());
    }

    /** Bytes waiting to be sent, read in place. */
    private static final class Pending extends java.io.ByteArrayOutputStream {
        Pending(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /**
     * Sends QUIT, reads the reply and closes. Never throws: after QUIT nothing depends on the peer any more, so
     * a peer that closes instead of replying (or misbehaves) yields an empty result, noted in the transcript.
     */
    public Optional<ServerReply> quit() {
        if (closed) {
            return Optional.empty();
        }
        try {
            return Optional.of(command("QUIT"));
        } catch (SmtpClientException e) {
            return Optional.empty();
        } finally {
            close();
        }
    }

    /** Closes the connection without QUIT. Always safe, also twice or after a failure. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (socket != raw) {
            // Closing TLS sends close_notify, a write; the watchdog bounds it in case the peer stopped reading.
            watchdog.arm(deadline(CLOSE_GRACE));
            closeQuietly(socket);
            watchdog.disarm();
        }
        closeQuietly(raw);
        watchdog.stop();
    }

    private ServerReply readReply(Duration full) throws SmtpClientException {
        Duration timeout = capped(full, until); // so a timeout names the wait that was actually allowed
        long deadline = deadline(timeout);
        watchdog.arm(deadline);
        try {
            return reader.read(deadline, timeout);
        } catch (SmtpClientException e) {
            // a read cut short by the watchdog looks like a closed connection; it was our deadline
            throw fail(watchdog.fired() && e.kind() == Kind.CONNECTION_CLOSED ? ReplyReader.timedOut(timeout) : e);
        } catch (IOException e) {
            throw fail(watchdog.fired() ? ReplyReader.timedOut(timeout)
                    : new SmtpClientException(Kind.IO_ERROR, "reading reply failed: " + e.getMessage(), e));
        } finally {
            watchdog.disarm();
        }
    }

    /** Writes bytes within {@link ClientLimits#replyTimeout()} (RFC 5321's per-block send timeout). */
    private void send(byte[] bytes, int offset, int length) throws SmtpClientException {
        watchdog.arm(deadline(limits.replyTimeout()));
        try {
            out.write(bytes, offset, length);
            out.flush();
        } catch (IOException e) {
            throw fail(watchdog.fired()
                    ? new SmtpClientException(Kind.SEND_TIMEOUT,
                            "peer did not take our data within " + ReplyReader.describe(limits.replyTimeout()), e)
                    : new SmtpClientException(Kind.IO_ERROR, "writing failed: " + e.getMessage(), e));
        } finally {
            watchdog.disarm();
        }
    }

    static byte[] commandBytes(String line) {
        Objects.requireNonNull(line, "line");
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("an SMTP command must not contain CR, LF or NUL");
            }
        }
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_COMMAND_OCTETS) {
            throw new IllegalArgumentException("an SMTP command line is at most " + MAX_COMMAND_OCTETS
                    + " octets with CRLF, this one has " + bytes.length);
        }
        return bytes;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the SMTP client is closed");
        }
    }

    private boolean rawBytesWaiting() {
        try {
            return raw.getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Records the failure, closes the connection (its state is unknown now) and returns the exception to throw. */
    private SmtpClientException fail(SmtpClientException e) {
        transcript.error(e.getMessage());
        close();
        return e;
    }

    private static SmtpClientException failedToConnect(Transcript transcript, SmtpClientException e) {
        transcript.error(e.getMessage());
        return e;
    }

    /** The end of a wait of {@code timeout} from now, or the overall deadline if that comes first. */
    private long deadline(Duration timeout) {
        long own = System.nanoTime() + timeout.toNanos();
        return until != NO_DEADLINE && until - own < 0 ? until : own;
    }

    /** {@code timeout}, or what is left before {@code untilNanos} when that is less (at least 1 ms). */
    private static Duration capped(Duration timeout, long untilNanos) {
        if (untilNanos == NO_DEADLINE) return timeout;
        long left = untilNanos - System.nanoTime();
        return left < timeout.toNanos() ? Duration.ofNanos(Math.max(left, 1_000_000)) : timeout;
    }

    private static int millis(Duration timeout) {
        return Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
    }

    /** "mx.example.com [192.0.2.1]:25", or "[192.0.2.1]:25" when the address carries no host name. */
    static String describe(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String literal = ip.getHostAddress();
        String host = address.getHostString();
        String where = "[" + literal + "]:" + address.getPort();
        return host.equals(literal) ? where : host + " " + where;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with a socket we are giving up
        }
    }
}
