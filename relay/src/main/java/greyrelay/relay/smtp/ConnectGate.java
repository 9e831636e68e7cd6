package greyrelay.relay.smtp;

import greyrelay.relay.policy.GreetingProbe;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The connect phase: registers the connection, runs the connect checks, and refuses before the banner when one
 * says so. While the relay drains for shutdown, new connections hear {@code 421 4.3.2}.
 */
final class ConnectGate implements SessionHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectGate.class);

    private final Map<Session, Connection> connections;
    private final SmtpServices services;
    private final ConnectionCounter counter;
    private final Clock clock;
    private volatile boolean draining;

    ConnectGate(Map<Session, Connection> connections, SmtpServices services, ConnectionCounter counter) {
        this.connections = connections;
        this.services = services;
        this.counter = counter;
        this.clock = services.clock();
    }

    void drain() {
        draining = true;
    }

    @Override
    public SessionAcceptance accept(Session session) {
        InetSocketAddress remote = session.getRemoteAddress();
        Connection c = new Connection(session, session.getSessionId(), remote.getAddress(), remote.getPort(), clock.instant());
        MDC.put("session", c.id);
        if (draining) {
            return refuse(new Reply(421, "4.3.2", services.hostname() + " Service shutting down, try again later"));
        }
        counter.opened(c.client);
        connections.put(session, c);
        c.notes.put(GreetingProbe.KEY, new BannerProbe(session, services.hostname()));
        log.debug("connect from {}", c.facts().clientLabel());
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
            forget(session, c);
            return refuse(refusal);
        }
        return SessionAcceptance.success();
    }

    private static SessionAcceptance refuse(Reply r) {
        MDC.remove("session");
        return SessionAcceptance.failure(r.code(), r.message());
    }

    @Override
    public void onSessionEnd(Session session) {
        Connection c = connections.get(session);
        if (c != null) forget(session, c);
        log.debug("disconnect");
        MDC.remove("session");
    }

    private void forget(Session session, Connection c) {
        if (connections.remove(session) != null) counter.closed(c.client);
    }
}
