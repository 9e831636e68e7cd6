package greyrelay.admin.probes;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration as the relay's configuration dump writes it ({@code 7d}, {@code 1h30m}, {@code 250ms}): a panel
 * running alone learns the profile lifetime from the configuration tree it was given. Anything else is "unknown".
 */
final class ConfigDuration {
    private static final Pattern WHOLE = Pattern.compile("(\\d{1,9}(ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d|w)");

    private ConfigDuration() {}

    static Optional<Duration> parse(String text) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (!WHOLE.matcher(s).matches()) return Optional.empty();
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        return total.isZero() ? Optional.empty() : Optional.of(total);
    }
}
