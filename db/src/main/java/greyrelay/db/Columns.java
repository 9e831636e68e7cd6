package greyrelay.db;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Values fitted to what both databases store, for the records' compact constructors (db/README.md: remote text never
 * makes an insert fail; records cut instants to microseconds).
 */
public final class Columns {

    private Columns() {
    }

    /**
     * The text cut to {@code maxChars} (never inside a surrogate pair), with NUL, which PostgreSQL refuses in text,
     * replaced by U+FFFD. Null stays null.
     */
    public static String clean(String text, int maxChars) {
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

    /** Cut to microseconds, the precision both databases store, so a value read back equals the one written. */
    public static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
