package greyrelay.relay.smtp;

import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.server.Session;

/**
 * Our state for one SMTP connection, beside the library's {@link Session}. Used only by that connection's thread,
 * except {@link #awaitingSince} and {@link #hangingUp}, which {@link CommandDeadline} reads and sets.
 */
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
    volatile boolean hangingUp;
    /** {@link #awaitingSince} while a command runs. */
    static final long IN_COMMAND = Long.MIN_VALUE;
    /** {@code System.nanoTime()} since which we wait for the client's next command line, or {@link #IN_COMMAND}. */
    volatile long awaitingSince = System.nanoTime();
    /** Reading from the client failed in the middle of a command (a reset or end of stream during DATA). */
    boolean lost;
    private int transactions;
    /** Commands by verb, for the "disconnect from … ehlo=1 mail=1 … commands=5" line. */
    private final Map<String, Integer> commands = new HashMap<>();

    /** Postfix's order of the verbs in its disconnect line; others follow in the order first seen. */
    private static final List<String> VERB_ORDER = List.of(
            "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "BDAT", "DATA", "RSET", "NOOP", "VRFY", "ETRN", "QUIT");

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

    void counted(String verb) {
        commands.merge(verb.toUpperCase(Locale.ROOT), 1, Integer::sum);
    }

    /** {@code ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5}, as Postfix's smtpd ends a session. */
    String commandSummary() {
        StringBuilder out = new StringBuilder();
        int total = 0;
        List<String> verbs = new ArrayList<>(VERB_ORDER);
        commands.keySet().stream().filter(v -> !VERB_ORDER.contains(v)).sorted().forEach(verbs::add);
        for (String verb : verbs) {
            Integer n = commands.get(verb);
            if (n == null) continue;
            out.append(verb.toLowerCase(Locale.ROOT)).append('=').append(n).append(' ');
            total += n;
        }
        return out.append("commands=").append(total).toString();
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
