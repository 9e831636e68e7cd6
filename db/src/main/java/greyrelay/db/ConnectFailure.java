package greyrelay.db;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Properties;

/**
 * Turns driver, pool and Flyway exceptions into one line a mail admin can act on, such as
 * {@code cannot connect to PostgreSQL at 127.0.0.1:5999: Connection refused}. The full exception stays the cause.
 */
final class ConnectFailure {

    private static final int MAX_LENGTH = 300;

    private ConnectFailure() {
    }

    static String describe(DbSettings settings, Throwable failure) {
        String reason = reason(failure);
        return switch (settings.dialect()) {
            case H2 -> "cannot open H2 database in " + settings.dataDir().toAbsolutePath().normalize() + ": " + reason;
            case POSTGRESQL -> "cannot connect to PostgreSQL at " + postgresLocation(settings.url()) + ": " + reason;
        };
    }

    /**
     * The innermost cause says what went wrong ("Connection refused"); the wrappers above it (Hikari, the driver's
     * "Check that the hostname and port are correct…") only repeat it at length.
     */
    static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnknownHostException) {
            return "unknown host " + oneLine(root);
        }
        if (root instanceof SocketTimeoutException) {
            return "timed out";
        }
        if (root instanceof ConnectException && root.getMessage() == null) {
            return "connection failed";
        }
        String text = oneLine(root);
        // PostgreSQL server messages start with their severity
        for (String severity : new String[] {"FATAL: ", "ERROR: "}) {
            if (text.startsWith(severity)) {
                text = text.substring(severity.length());
            }
        }
        return text;
    }

    /**
     * Flyway messages span many lines ("Migration V1__x.sql failed", a rule, "SQL State : …", "Message : …"); keep
     * the headline and the database's own message.
     */
    static String migration(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return reason(failure);
        }
        String headline = null;
        String detail = null;
        for (String line : message.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.chars().allMatch(c -> c == '-')) {
                continue;
            }
            if (headline == null) {
                headline = trimmed;
            } else if (trimmed.startsWith("Message") && trimmed.contains(":")) {
                detail = trimmed.substring(trimmed.indexOf(':') + 1).strip();
            } else if (detail == null && !trimmed.contains(" : ")) {
                detail = trimmed;
            }
        }
        String text = headline == null ? reason(failure) : detail == null ? headline : headline + ": " + detail;
        return cap(text);
    }

    /** {@code host:port/database} from a PostgreSQL url, without user or password. */
    static String postgresLocation(String url) {
        Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
        if (parsed == null) {
            return "(unparsable database.url)";
        }
        String[] hosts = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        StringBuilder location = new StringBuilder();
        for (int i = 0; i < hosts.length; i++) {
            if (i > 0) {
                location.append(',');
            }
            String host = hosts[i].contains(":") && !hosts[i].startsWith("[") ? "[" + hosts[i] + "]" : hosts[i];
            location.append(host).append(':').append(ports[Math.min(i, ports.length - 1)]);
        }
        return location.toString();
    }

    /** The first line of a message, capped, never null. */
    static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String first = message.strip().lines().findFirst().orElse("").strip();
        return cap(first);
    }

    private static String cap(String text) {
        String flat = text.replaceAll("\\s*\\R\\s*", " ");
        return flat.length() > MAX_LENGTH ? flat.substring(0, MAX_LENGTH) + "..." : flat;
    }
}
