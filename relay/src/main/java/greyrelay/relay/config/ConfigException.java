package greyrelay.relay.config;

/** A configuration the relay cannot start with. The message is one line, names the key and what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }

    public static ConfigException invalid(String key, String expected, Object got) {
        return new ConfigException(key + ": expected " + expected + ", got " + quote(got));
    }

    static String quote(Object v) {
        if (v == null) return "nothing";
        String s = String.valueOf(v);
        if (s.length() > 80) s = s.substring(0, 80) + "…";
        return v instanceof String ? "\"" + s + "\"" : s;
    }
}
