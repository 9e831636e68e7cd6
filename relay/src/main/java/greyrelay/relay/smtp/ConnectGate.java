package greyrelay.relay.smtp;

import greyrelay.relay.policy.GreetingProbe;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The connect phase: registers the connection, runs the connect checks, and refuses before the banner when one
 * says so. While the relay drains for shutdown, new connections hear {@code 421 4.3.2}. At the session's end, a
 * client that went away without QUIT gets Postfix's one line, {@code lost connection after DATA from [192.0.2.1]},
 * naming its last command.
 */
final class ConnectGate implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectGate.class);

    private final Map<Session, Connection> connections;
    private final SmtpServices services;
    private final ConnectionCounter counter;
    private final Clock clock;
    private final boolean rebuildStreams;
    private volatile boolean draining;

    /** @param rebuildStreams whether to build the session's reader and writer again on its own thread (see {@link #accept}) */
    ConnectGate(Map<Session, Connection> connections, SmtpServices services, ConnectionCounter counter, boolean rebuildStreams) {
        this.connections = connections;
        this.services = services;
        this.counter = counter;
        this.clock = services.clock();
        this.rebuildStreams = rebuildStreams;
    }

    void drain() {
        draining = true;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        noDelay(session);
        if (rebuildStreams) smallBuffers(session);
        InetSocketAddress remote = session.getRemoteAddress();
        Connection c = new Connection(session, session.getSessionId(), remote.getAddress(), remote.getPort(), clock.instant());
        MDC.put("session", c.id);
        if (draining) {
            return refuse(new Reply(421, "4.3.2", services.hostname() + " Service shutting down, try again later"));
        }
        counter.opened(c.client);
        connections.put(session, c);
        c.notes.put(GreetingProbe.KEY, new BannerProbe(session, services.hostname()));
        log.info("connect from {}", c.facts().clientLabel());
        Verdict v;
        try {
            v = services.pipeline().connect(new PolicyRequest.Connect(c.facts(), c.notes));
        } catch (RuntimeException e) {
            log.error("connect checks failed", e);
            v = new Verdict.Disconnect(Replies.LOCAL_PROBLEM, "connect checks failed");
        }
        Reply refusal = switch (v) {
            case Verdict.Continue x -> null;
            case Verdict.Accept x -> null;
            case Verdict.Defer d -> d.reply();
            case Verdict.Reject r -> r.reply();
            case Verdict.Disconnect d -> d.reply();
        };
        if (refusal != null) {
            // the library does not call onSessionEnd for a refused session
            log.info("disconnect from {} commands=0", c.facts().clientLabel());
            services.metrics().ended(SmtpMetrics.End.REFUSED);
            forget(session, c);
            return refuse(refusal);
        }
        return SessionAcceptance.success();
    }

    private static SessionAcceptance refuse(Reply r) {
        MDC.remove("session");
        return SessionAcceptance.failure(r.code(), r.message());
    }

    /**
     * A client that pipelines (RFC 2920: MAIL, RCPT… and DATA in one write, as Postfix and Exim do) gets one reply per
     * command, each a small write. With Nagle's algorithm on, the second of them waits for the client's ACK of the first,
     * which the client delays (40 ms on Linux) because it has nothing to send until it has every reply: a stall per
     * transaction. The library does not switch Nagle off, so it is done here, before the banner.
     */
    private static void noDelay(Session session) {
        try {
            session.getSocket().setTcpNoDelay(true);
        } catch (IOException e) {
            // the socket is already unusable: the session ends at its first read
        }
    }

    /**
     * The library builds a session's reader and writer on its accept thread, a platform thread, where a PrintWriter starts
     * with an 8192-char (16 KiB) buffer; built again here, on the session's virtual thread, it starts at 512 chars and
     * grows only for long replies: about 15 KiB less per idle connection. Nothing has been read or written yet (the
     * banner comes after this), so nothing is lost; not behind a PROXY header, whose reading may have buffered more.
     */
    private static void smallBuffers(Session session) {
        try {
            session.setSocket(session.getSocket());
        } catch (IOException e) {
            // the socket is already unusable: the session ends at its first read, with the streams it has
        }
    }

    @Override
    public void onSessionEnd(Session session) {
        Connection c = connections.get(session);
        if (c != null) {
            SmtpMetrics.End end = c.lastCommand.equals("QUIT") ? SmtpMetrics.End.QUIT : SmtpMetrics.End.CLOSED;
            if (c.lost || (!c.hangingUp && clientGone(session))) {
                log.info("{}: lost connection after {} from {}", c.id, c.lastCommand, c.facts().clientLabel());
                end = SmtpMetrics.End.LOST;
            }
            services.metrics().ended(end);
            log.info("disconnect from {} {}", c.facts().clientLabel(), c.commandSummary());
            forget(session, c);
        }
        MDC.remove("session");
    }

    /**
     * Whether the command loop ended because the client went away (end of stream, or a reset) rather than because the
     * session was closed on our side (QUIT answered, the listener stopping) or the library let a live client go (a
     * command timeout or a malformed line, answered before it hung up). The loop is over, so reading one byte loses
     * nothing; a live client has nothing to say within a millisecond.
     */
    private static boolean clientGone(Session session) {
        Socket socket = session.getSocket();
        if (socket.isClosed()) return false;
        try {
            socket.setSoTimeout(1);
            return session.getRawInput().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void forget(Session session, Connection c) {
        if (connections.remove(session) != null) counter.closed(c.client);
    }
}
