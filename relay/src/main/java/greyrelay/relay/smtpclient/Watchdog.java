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
    /** The armed deadline ({@link System#nanoTime()}), or {@link #DISARMED}. */
    private volatile long deadline = DISARMED;
    private static final long DISARMED = Long.MIN_VALUE;
    /**
     * The check scheduled at {@code checkAt}, if any (guarded by this). Arming does not reschedule it when it runs no
     * later than the new deadline, and disarming does not cancel it: a conversation arms and disarms twice per command,
     * and scheduling and cancelling that often cost more than the command. The check looks at the deadline armed when
     * it runs, and waits on for it if it has not passed.
     */
    private ScheduledFuture<?> check;
    private long checkAt;

    Watchdog(Socket socket) {
        this.socket = socket;
    }

    /** Closes the socket at {@code deadlineNanos} (a {@link System#nanoTime()} value) unless disarmed first. */
    void arm(long deadlineNanos) {
        deadline = deadlineNanos == DISARMED ? deadlineNanos + 1 : deadlineNanos;
        synchronized (this) {
            if (check == null || checkAt - deadlineNanos > 0) {
                if (check != null) check.cancel(false);
                scheduleCheck(deadlineNanos);
            }
        }
    }

    void disarm() {
        deadline = DISARMED;
    }

    /** No more operations: the pending check, if any, is dropped. */
    void stop() {
        deadline = DISARMED;
        synchronized (this) {
            if (check != null) check.cancel(false);
            check = null;
        }
    }

    private void scheduleCheck(long at) {
        checkAt = at;
        check = SCHEDULER.schedule(this::check, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        synchronized (this) {
            check = null;
        }
        long d = deadline;
        if (d == DISARMED) return;
        if (System.nanoTime() - d >= 0) {
            fire();
            return;
        }
        synchronized (this) {
            if (check == null) scheduleCheck(d); // re-armed since: wait for the new deadline
        }
    }

    /** Whether a deadline passed and the socket was closed because of it. */
    boolean fired() {
        return fired;
    }

    private void fire() {
        fired = true;
        deadline = DISARMED;
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
