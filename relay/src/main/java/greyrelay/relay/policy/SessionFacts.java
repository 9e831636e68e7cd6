package greyrelay.relay.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Connection facts. Immutable: the SMTP layer makes a new one when HELO or STARTTLS changes them. A request that
 * arrived over the Postfix policy protocol has the facts Postfix sent, and {@link Origin#POLICY}.
 */
public record SessionFacts(
        String sessionId,
        InetAddress clientAddress,
        int clientPort,
        Optional<String> helo,
        boolean tls,
        Instant connectedAt,
        Origin origin) {

    public SessionFacts {
        java.util.Objects.requireNonNull(origin, "origin");
    }

    /** The facts of an SMTP connection of ours. */
    public SessionFacts(String sessionId, InetAddress clientAddress, int clientPort, Optional<String> helo, boolean tls,
            Instant connectedAt) {
        this(sessionId, clientAddress, clientPort, helo, tls, connectedAt, Origin.SMTP);
    }

    public SessionFacts withHelo(String name) {
        return new SessionFacts(sessionId, clientAddress, clientPort, Optional.ofNullable(name), tls, connectedAt, origin);
    }

    public SessionFacts withTls() {
        return new SessionFacts(sessionId, clientAddress, clientPort, helo, true, connectedAt, origin);
    }

    /** {@code [192.0.2.1]} as logs and replies show the client. */
    public String clientLabel() {
        return "[" + clientAddress.getHostAddress() + "]";
    }
}
