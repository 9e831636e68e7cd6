package greyrelay.relay.greylist;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code X-Greylist} trace header, put only on mail that was delayed:
 * {@code X-Greylist: delayed 312 seconds by greyrelay-0.1.0 (mx.example.com); Fri, 27 Nov 2026 10:05:12 +0000}.
 */
record GreylistHeader(String version, String hostname) {
    static final String NAME = "X-Greylist";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    String value(long delayedSeconds, Instant now, ZoneId zone) {
        return "delayed " + delayedSeconds + " seconds by greyrelay-" + version + " (" + hostname + "); "
                + DATE.format(now.atZone(zone));
    }
}
