package greyrelay.relay.smtp;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.subethamail.smtp.server.SessionIdFactory;

/** Short, sortable session ids for logs ({@code 5kq3bz0-1f}): start time of this process in base 36, then a counter. */
final class SessionIds implements SessionIdFactory {
    private final String prefix = Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase(Locale.ROOT);
    private final AtomicLong counter = new AtomicLong();

    @Override
    public String create() {
        return prefix + "-" + Long.toString(counter.incrementAndGet(), 36).toUpperCase(Locale.ROOT);
    }
}
