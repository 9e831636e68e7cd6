package greyrelay.relay.smtp;

import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.server.Session;

/** Our state for one SMTP connection, beside the library's {@link Session}. Used only by that connection's thread. */
final class Connection {
    final Session session;
    final String id;
    final InetAddress client;
    final int clientPort;
    final Instant connectedAt;
    final SessionNotes notes = new SessionNotes();
    boolean esmtp;
    /** The client's last command as Postfix names it in "lost connection after …": CONNECT before the first one. */
    String lastCommand = "CONNECT";
    /** We answered with a reply that closes the connection (421 and the like): its end is ours, not a lost client. */
    boolean hangingUp;
    /** Reading from the client failed in the middle of a command (a reset or end of stream during DATA). */
    boolean lost;
    private int transactions;

    Connection(Session session, String id, InetAddress client, int clientPort, Instant connectedAt) {
        this.session = session;
        this.id = id;
        this.client = client;
        this.clientPort = clientPort;
        this.connectedAt = connectedAt;
    }

    /** A snapshot of the facts as they are now (HELO and TLS change during a session). */
    SessionFacts facts() {
        Optional<String> helo = session.getHelo();
        return new SessionFacts(id, client, clientPort, helo, session.isTLSStarted(), connectedAt);
    }

    String nextTransactionId() {
        return id + "." + (++transactions);
    }

    /** {@code ESMTPS (TLSv1.3 TLS_AES_256_GCM_SHA384)} etc. for the Received header. */
    String protocol() {
        String p = esmtp ? "ESMTP" : "SMTP";
        if (session.getSocket() instanceof SSLSocket ssl) {
            var s = ssl.getSession();
            return p + "S (" + s.getProtocol() + " " + s.getCipherSuite() + ")";
        }
        return p;
    }
}
