package greyrelay.relay.policy;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/** Connection facts. Immutable: the SMTP layer makes a new one when HELO or STARTTLS changes them. */
public record SessionFacts(
        String sessionId,
        InetAddress clientAddress,
        int clientPort,
        Optional<String> helo,
        boolean tls,
        Instant connectedAt) {

    public SessionFacts withHelo(String name) {
        return new SessionFacts(sessionId, clientAddress, clientPort, Optional.ofNullable(name), tls, connectedAt);
    }

    public SessionFacts withTls() {
        return new SessionFacts(sessionId, clientAddress, clientPort, helo, true, connectedAt);
    }

    /** {@code [192.0.2.1]} as logs and replies show the client. */
    public String clientLabel() {
        return "[" + clientAddress.getHostAddress() + "]";
    }
}
