package greyrelay.db.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Small JDBC helpers shared by this package's stores. */
final class Sql {
    /** A duplicate key (unique constraint) on both databases. */
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {}

    /** Both drivers map OffsetDateTime to TIMESTAMP WITH TIME ZONE; cut to the microseconds both store. */
    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime t = rows.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Cuts text to a column's length (never inside a surrogate pair) and replaces NUL, which PostgreSQL refuses. */
    static String clean(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        String cut = text;
        if (cut.length() > maxChars) {
            int end = Character.isHighSurrogate(cut.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
            cut = cut.substring(0, end);
        }
        return cut.indexOf('\0') < 0 ? cut : cut.replace('\0', '\uFFFD');
    }

    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
