package greyrelay.relay.smtpclient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import greyrelay.relay.smtpclient.SmtpClientException.Kind;
import greyrelay.relay.testing.RawSmtpPeer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that misbehave, on purpose or not: each one ends the conversation with the right {@link Kind}, within
 * the short deadlines set here, never with a hang. Durations are not asserted beyond a loose "well under 5 s".
 */
class SmtpClientHostilePeerTest {

    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private static final ClientLimits LIMITS = new ClientLimits(TIMEOUT, TIMEOUT, TIMEOUT, 512, 20);
    private static final Duration NO_HANG = Duration.ofSeconds(5);

    /** What the client does against the peer: connect, EHLO, and DATA when the peer gets that far. */
    interface Conversation {
        void run(SmtpClient client) throws SmtpClientException;
    }

    private static final Conversation EHLO = client -> client.ehlo("relay.example.org");
    private static final Conversation SEND_MESSAGE = client -> client.data(new Endless());

    static Stream<Arguments> hostilePeers() {
        return Stream.of(
                peer("a greeting line longer than maxLineLength",
                        s -> s.line("220 " + "x".repeat(100_000)).hold(), EHLO, Kind.LINE_TOO_LONG),
                peer("a line of exactly maxLineLength is still fine, the next one is not",
                        s -> s.line("220-" + "y".repeat(508)).line("220 " + "z".repeat(509)).hold(), EHLO, Kind.LINE_TOO_LONG),
                peer("a greeting without CRLF, then silence",
                        s -> s.send("220 mx.example.com ESMTP").hold(), EHLO, Kind.REPLY_TIMEOUT),
                peer("no greeting at all",
                        s -> s.hold(), EHLO, Kind.REPLY_TIMEOUT),
                peer("a greeting dripped a byte every 50 ms, each read in time but the reply not",
                        s -> s.drip("220 mx.example.com slow but steady\r\n", Duration.ofMillis(50)), EHLO, Kind.REPLY_TIMEOUT),
                peer("an EHLO reply that never ends",
                        s -> s.line("220 mx.example.com").expect("EHLO").line("250-mx.example.com").hold(), EHLO, Kind.REPLY_TIMEOUT),
                peer("garbage instead of a reply",
                        s -> s.line("HTTP/1.1 400 Bad Request").hold(), EHLO, Kind.MALFORMED_REPLY),
                peer("a bad separator after the code",
                        s -> s.line("220_mx.example.com").hold(), EHLO, Kind.MALFORMED_REPLY),
                peer("a code outside 200-599",
                        s -> s.line("220 mx.example.com").expect("EHLO").line("199 what").hold(), EHLO, Kind.MALFORMED_REPLY),
                peer("a reply shorter than a code",
                        s -> s.line("22").hold(), EHLO, Kind.MALFORMED_REPLY),
                peer("multi-line reply lines with different codes",
                        s -> s.line("220 mx.example.com").expect("EHLO").line("250-mx.example.com").line("550 no").hold(),
                        EHLO, Kind.MALFORMED_REPLY),
                peer("more reply lines than maxReplyLines",
                        s -> s.line("220 mx.example.com").expect("EHLO").send("250-SPAM\r\n".repeat(1000)).hold(),
                        EHLO, Kind.TOO_MANY_LINES),
                peer("closing before the greeting",
                        s -> s.hangUp(), EHLO, Kind.CONNECTION_CLOSED),
                peer("closing in the middle of a line",
                        s -> s.send("220 mx.exa").hangUp(), EHLO, Kind.CONNECTION_CLOSED),
                peer("closing instead of answering EHLO",
                        s -> s.line("220 mx.example.com").expect("EHLO").hangUp(), EHLO, Kind.CONNECTION_CLOSED),
                peer("no reply after the end of data",
                        s -> s.line("220 mx.example.com").expect("DATA").line("354 go").readData().hold(),
                        client -> client.data(InputStream.nullInputStream()), Kind.REPLY_TIMEOUT),
                peer("not reading the message after 354",
                        s -> s.line("220 mx.example.com").expect("DATA").line("354 go").hold(),
                        SEND_MESSAGE, Kind.SEND_TIMEOUT));
    }

    @ParameterizedTest
    @MethodSource("hostilePeers")
    void ends_the_conversation_with_the_matching_kind(Consumer<RawSmtpPeer.Script> script, Conversation conversation,
                                                      Kind expected) {
        Transcript transcript = Transcript.recording();
        try (RawSmtpPeer peer = RawSmtpPeer.start(script)) {
            long start = System.nanoTime();
            List<SmtpClient> opened = new ArrayList<>();

            SmtpClientException failure = catchThrowableOfType(SmtpClientException.class, () -> {
                SmtpClient client = SmtpClient.connect(peer.address(), LIMITS, transcript);
                opened.add(client);
                conversation.run(client);
            });

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(NO_HANG);
            assertThat(failure).as("expected %s", expected).isNotNull();
            assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(expected);
            assertThat(opened).allSatisfy(client -> assertThat(client.isOpen()).isFalse());
            assertThat(transcript.lines()).last().asString().startsWith("-- error: " + expected + ": ");
        }
    }

    @Test
    void reports_a_refused_connection_naming_the_host_and_address() throws IOException {
        InetSocketAddress closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetAddress mx = InetAddress.getByAddress("mx.example.com", new byte[] {127, 0, 0, 1});
            closedPort = new InetSocketAddress(mx, socket.getLocalPort());
        }
        Transcript transcript = Transcript.recording();

        SmtpClientException failure = catchThrowableOfType(SmtpClientException.class,
                () -> SmtpClient.connect(closedPort, LIMITS, transcript).close());

        assertThat(failure.kind()).isEqualTo(Kind.CONNECT_FAILED);
        assertThat(transcript.lines()).singleElement().asString()
                .startsWith("-- error: CONNECT_FAILED: connect to mx.example.com [127.0.0.1]:" + closedPort.getPort() + " failed");
    }

    /**
     * A listener whose accept queue is full drops further SYNs on Linux, so connecting to it times out: a local,
     * reliable stand-in for an unreachable host (routing to 10.255.255.1 is intercepted on this machine).
     */
    @Test
    void reports_a_connect_timeout() throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queue = new ArrayList<>();
            try {
                boolean queueFull = false;
                for (int i = 0; i < 8 && !queueFull; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(full.getLocalSocketAddress(), 200);
                        queue.add(socket);
                    } catch (SocketTimeoutException e) {
                        socket.close();
                        queueFull = true;
                    }
                }
                assumeThat(queueFull).as("this OS drops SYNs to a full accept queue").isTrue();
                Transcript transcript = Transcript.recording();
                long start = System.nanoTime();

                SmtpClientException failure = catchThrowableOfType(SmtpClientException.class,
                        () -> SmtpClient.connect((InetSocketAddress) full.getLocalSocketAddress(), LIMITS, transcript).close());

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(NO_HANG);
                assertThat(failure.kind()).isEqualTo(Kind.CONNECT_TIMEOUT);
                assertThat(transcript.lines()).singleElement().asString().startsWith("-- error: CONNECT_TIMEOUT: ");
            } finally {
                for (Socket socket : queue) {
                    socket.close();
                }
            }
        }
    }

    private static Arguments peer(String name, Consumer<RawSmtpPeer.Script> script, Conversation conversation, Kind kind) {
        return Arguments.argumentSet(name, script, conversation, kind);
    }

    /** A message that never ends, made on the fly: more than any socket buffer can hold. */
    private static final class Endless extends InputStream {
        @Override
        public int read() {
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) 'x');
            return len;
        }
    }
}
