package greyrelay.relay.config;

/** {@code logging.*}: how much the relay logs and in which form (one line of text or one JSON object per event). */
public record LoggingConfig(Level level, Format format) {
    public enum Level { ERROR, WARN, INFO, DEBUG, TRACE }

    public enum Format { TEXT, JSON }

    public LoggingConfig {
        Require.present("logging.level", level, "one of error, warn, info, debug, trace");
        Require.present("logging.format", format, "text or json");
    }

    static LoggingConfig defaults() {
        return new LoggingConfig(Level.INFO, Format.TEXT);
    }
}
