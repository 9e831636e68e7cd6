package greyrelay.relay.faults;

import java.time.Duration;

/** Scenario sizes and durations: system properties {@code faults.*}, short by default (CI), longer by hand. */
final class FaultParams {
    private FaultParams() {}

    static Duration duration(String name, String dflt) {
        String v = System.getProperty("faults." + name, dflt);
        return Duration.parse("PT" + v.toUpperCase());
    }

    static int count(String name, int dflt) {
        return Integer.getInteger("faults." + name, dflt);
    }
}
