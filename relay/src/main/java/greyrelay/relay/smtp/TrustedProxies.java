package greyrelay.relay.smtp;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.internal.proxy.ProxyHandler;
import org.subethamail.smtp.internal.proxy.ProxyProtocolV1V2Handler;
import org.subethamail.smtp.server.Session;

/**
 * The PROXY protocol (v1 and v2) with {@code smtp.proxyProtocol} on, believed only from {@code smtp.proxyProtocolTrusted}.
 *
 * <p>The library reads the header before the banner and from then on reports the address it claims as the session's
 * remote address: every limit, whitelist, greylist triplet, log line and {@code Received:} field uses it. So the check
 * must come first and must look at the real TCP peer ({@code session.getSocket()}), never at the session's address.
 * A trusted peer's header goes to the library's parser. Any other peer is answered
 * {@code 421 4.7.0 … PROXY header not accepted from [real peer]} and the connection ends before the banner and before
 * the connect checks: the header is skipped unread (not parsed, so nothing it claims is logged, counted or believed).
 * On a PROXY port every connection must start with a header, as in Postfix's {@code smtpd_upstream_proxy_protocol}, so
 * a peer outside the list that sends none is refused too, after at most {@link #SKIP_WAIT_MILLIS}.
 *
 * <p>Uses the library's internal proxy API (its only public entry point); re-check on library upgrades.
 */
final class TrustedProxies implements ProxyHandler {
    private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);

    /** How long an untrusted peer may take to finish its header before it hears the 421 (a real wait on a socket). */
    static final int SKIP_WAIT_MILLIS = 2000;
    /** RFC-like limits of the PROXY protocol: a v1 line is at most 107 bytes; a v2 header 16 bytes plus its length. */
    private static final int V1_MAX = 107;
    private static final int V2_FIXED = 16;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final List<IpNetwork> trusted;
    private final String hostname;
    private final ProxyHandler parser = ProxyProtocolV1V2Handler.INSTANCE;

    TrustedProxies(List<IpNetwork> trusted, String hostname) {
        if (trusted.isEmpty()) throw new IllegalArgumentException("no trusted proxy network");
        this.trusted = List.copyOf(trusted);
        this.hostname = hostname;
    }

    @Override
    public ProxyResult handle(InputStream in, OutputStream out, Session session) throws IOException {
        Socket socket = session.getSocket();
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (isTrusted(peer.getAddress())) {
            ProxyResult r = parser.handle(in, out, session);
            if (r.isSuccess() && !r.isNOP()) {
                log.debug("PROXY header from [{}]:{}: client {}", peer.getAddress().getHostAddress(), peer.getPort(),
                        r.getProxiedAddress());
            }
            return r;
        }
        String seen = skipHeader(in, socket);
        log.warn("refused [{}]:{}: {} from a peer outside smtp.proxyProtocolTrusted", peer.getAddress().getHostAddress(),
                peer.getPort(), seen);
        Reply refusal = Replies.proxyRefused(hostname, peer.getAddress());
        return new ProxyResult(refusal.code(), refusal.message());
    }

    boolean isTrusted(InetAddress peer) {
        InetAddress unmapped = IpNetwork.unmapIpv4(peer);
        for (IpNetwork n : trusted) if (n.contains(peer) || n.contains(unmapped)) return true;
        return false;
    }

    /**
     * Reads and drops what an untrusted peer sends first, up to the end of a PROXY header (so the connection closes
     * cleanly after our 421 rather than with a reset that could swallow it). Bounded in bytes and time. Says what was
     * seen, for the log line: never the header's content.
     */
    private static String skipHeader(InputStream in, Socket socket) {
        try {
            socket.setSoTimeout(SKIP_WAIT_MILLIS);
            int first = in.read();
            if (first < 0) return "no PROXY header (closed)";
            if (first == 'P') {
                for (int n = 1, b = first; n < V1_MAX && b != '\n'; n++) {
                    b = in.read();
                    if (b < 0) break;
                }
                return "a PROXY v1 header";
            }
            if (first == V2_SIGNATURE[0]) {
                byte[] fixed = new byte[V2_FIXED];
                fixed[0] = (byte) first;
                int got = 1 + in.readNBytes(fixed, 1, V2_FIXED - 1);
                if (got == V2_FIXED && Arrays.equals(fixed, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
                    int length = ((fixed[14] & 0xff) << 8) | (fixed[15] & 0xff);
                    in.skipNBytes(length);
                    return "a PROXY v2 header";
                }
            }
            return "no PROXY header";
        } catch (SocketTimeoutException e) {
            return "no PROXY header (silent)";
        } catch (IOException e) {
            return "no complete PROXY header";
        }
    }
}
