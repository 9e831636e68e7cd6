package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Validation used by the config records' compact constructors; every failure names its key. */
final class Require {
    private Require() {}

    static <T> T present(String key, T value, String expected) {
        if (value == null) throw ConfigException.invalid(key, expected, null);
        return value;
    }

    static int port(String key, int port) {
        if (port < 0 || port > 65535) throw ConfigException.invalid(key, "a port number 0-65535 (0 = any free port)", port);
        return port;
    }

    static int range(String key, int value, int min, int max) {
        if (value < min || value > max) throw ConfigException.invalid(key, "a number from " + min + " to " + max, value);
        return value;
    }

    static Duration duration(String key, Duration d, Duration min, Duration max) {
        present(key, d, "a duration like 30s, 5m, 2d");
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw ConfigException.invalid(key, "a duration from " + Durations.format(min) + " to " + Durations.format(max),
                    Durations.format(d));
        }
        return d;
    }

    static <T> List<T> list(String key, List<T> list) {
        present(key, list, "a list");
        for (T t : list) if (t == null) throw ConfigException.invalid(key, "a list without empty entries", list);
        return List.copyOf(list);
    }

    static <K, V> Map<K, V> map(String key, Map<K, V> map) {
        present(key, map, "a map");
        return Map.copyOf(map);
    }
}
