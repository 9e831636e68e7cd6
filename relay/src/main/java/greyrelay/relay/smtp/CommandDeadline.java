package greyrelay.relay.smtp;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.Session;

/**
 * {@code smtp.commandTimeout} as a deadline for a whole command line. The library's timeout is a socket read timeout,
 * which every byte resets, so a client sending one byte at a time (slowloris) would hold its connection for ever.
 * Every quarter of the timeout (at most every second) a connection that has waited longer than the timeout for its
 * next command line hears the library's own timeout reply and is closed. Real time, like the socket timeout it
 * completes. A command's own work (policy checks, the message content read by DATA, a TLS handshake) is not timed
 * here: the message content stays under the socket read timeout alone. Only the commands we know restart the clock:
 * a line the library answers by itself (an unknown command, a line too long, bad UTF-8) does not, so a stream of those
 * is cut too.
 */
final class CommandDeadline implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CommandDeadline.class);
    static final String TIMEOUT_REPLY = "421 Timeout waiting for data from client.";

    private final Map<Session, Connection> connections;
    private final long timeoutNanos;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("smtp-command-deadline").factory());

    CommandDeadline(Map<Session, Connection> connections, Duration timeout) {
        this.connections = connections;
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(50, Math.min(timeout.toMillis() / 4, 1000));
        timer.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            for (Connection c : connections.values()) {
                long since = c.awaitingSince;
                if (since != Connection.IN_COMMAND && now - since > timeoutNanos) cut(c);
            }
        } catch (RuntimeException e) {
            log.error("command deadline sweep failed", e); // a scheduled task that throws is never run again
        }
    }

    private void cut(Connection c) {
        c.awaitingSince = Connection.IN_COMMAND; // once
        c.hangingUp = true;
        log.info("{}: timeout after {} from {}", c.id, c.lastCommand, c.facts().clientLabel());
        // the reply may block on a client that reads nothing: written on its own thread, the close follows regardless
        Thread.ofVirtual().start(() -> {
            try {
                c.session.sendResponse(TIMEOUT_REPLY);
            } catch (IOException e) {
                // the client is gone already
            }
            close(c);
        });
        timer.schedule(() -> close(c), 2, TimeUnit.SECONDS);
    }

    private static void close(Connection c) {
        try {
            c.session.getSocket().close(); // the session's blocked read fails and the library ends the session
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
