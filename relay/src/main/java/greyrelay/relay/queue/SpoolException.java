package greyrelay.relay.queue;

import java.io.IOException;

/** The spool could not take or change a message (disk full, permissions, I/O error). Answered 451 4.3.0, never 250. */
public final class SpoolException extends IOException {
    public SpoolException(String message, Throwable cause) {
        super(message, cause);
    }

    public SpoolException(String message) {
        super(message);
    }
}
