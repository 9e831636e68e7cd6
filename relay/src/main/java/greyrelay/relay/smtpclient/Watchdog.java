package greyrelay.relay.smtpclient;

import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection's TCP socket when an operation outlives its deadline.
 *
 * <p>SO_TIMEOUT bounds one blocking read, not a whole reply, and nothing bounds a blocking write: a peer that
 * stops reading, or one that drips a TLS record a byte at a time, could otherwise hold us forever. Closing the
 * socket from another thread makes the blocked read or write fail at once; the owner then asks
 * {@link #fired()} to report a timeout rather than an I/O error.
 */
final class Watchdog {

    /** One daemon thread for all connections: it only ever closes sockets, which does not block. */
    private static final ScheduledThreadPoolExecutor SCHEDULER = scheduler();

    private final Socket socket;
    private volatile boolean fired;
    private ScheduledFuture<?> pending;

    Watchdog(Socket socket) {
        this.socket = socket;
    }

    /** Closes the socket at {@code deadlineNanos} (a {@link System#nanoTime()} value) unless disarmed first. */
    void arm(long deadlineNanos) {
        disarm();
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        pending = SCHEDULER.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
    }

    void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Whether a deadline passed and the socket was closed because of it. */
    boolean fired() {
        return fired;
    }

    private void fire() {
        fired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we can do; the blocked owner reports the timeout
        }
    }

    private static ScheduledThreadPoolExecutor scheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("greyrelay-smtpclient-watchdog").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
