package greyrelay.db;

/**
 * The database could not be opened or a statement failed. The message is one line an operator can act on
 * (no stack trace in it); the original exception, if any, is the cause, for the log.
 *
 * <p>Unchecked on purpose: callers on the SMTP path turn any failure into {@code 451 4.3.0} in one place rather
 * than handling {@code SQLException} in every check.
 */
public final class DatabaseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For stores wrapping a driver exception: {@code "<what>: <first line of the cause's message>"}, e.g.
     * {@code decision log: cannot append 20 decisions: Connection is closed}.
     */
    public static DatabaseException failed(String what, Throwable cause) {
        return new DatabaseException(what + ": " + ConnectFailure.oneLine(cause), cause);
    }
}
