package greyrelay.admin.probes;

import greyrelay.db.verify.ProbeOrder;
import java.util.Locale;

/** Words for the verification pages' values: sort orders and why a probe ran. Never markup: templates escape them. */
public final class Labels {
    private Labels() {}

    public static String sort(ProbeOrder o) {
        return switch (o) {
            case NEWEST -> "newest first";
            case OLDEST -> "oldest first";
            case SLOWEST -> "slowest first";
            case ADDRESS -> "by address";
        };
    }

    /** Why a probe ran, from the history's {@code origin} column; "" for a value not known here. */
    public static String origin(String origin) {
        if (origin == null) return "";
        return switch (origin.toUpperCase(Locale.ROOT)) {
            case "INLINE" -> "a client waited for it (at most verification.maxWait)";
            case "PREFETCH" -> "started in the background when the triplet was first greylisted";
            case "REFRESH" -> "a cached verdict was due for renewal";
            case "RETRY" -> "an inline probe ran out of its short deadlines and ran again with the full ones";
            case "ADMIN" -> "an administrator asked for it (verify again now)";
            case "CACHE" -> "answered from the cache: no probe was sent";
            default -> "";
        };
    }
}
