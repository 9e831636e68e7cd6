package greyrelay.db.verify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Boundary helpers shared by this package's records and stores. */
final class Texts {
    private Texts() {}

    /**
     * Cut to {@code maxChars} (never inside a surrogate pair) and NUL replaced by U+FFFD, which PostgreSQL refuses in
     * text: remote text must never make an insert fail.
     */
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

    /** Microseconds: what both databases store, so a record read back equals the one written. */
    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
