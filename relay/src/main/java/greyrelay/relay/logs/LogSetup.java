package greyrelay.relay.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import greyrelay.relay.config.LoggingConfig;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.LoggerFactory;

/** Applies {@code logging.level} and {@code logging.format} to Logback's root logger and its console appender. */
public final class LogSetup {
    private LogSetup() {}

    public static void apply(LoggingConfig config) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return; // another backend: leave it be
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(config.level().name(), Level.INFO));
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> console) swapEncoder(context, console, config.format());
        }
    }

    /** logback.xml's own text encoder, kept when JSON replaces it, so going back restores that one line format. */
    private static final Map<OutputStreamAppender<ILoggingEvent>, Encoder<ILoggingEvent>> TEXT = new ConcurrentHashMap<>();

    private static void swapEncoder(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, LoggingConfig.Format format) {
        Encoder<ILoggingEvent> current = appender.getEncoder();
        boolean json = current instanceof JsonLineEncoder;
        if (json == (format == LoggingConfig.Format.JSON)) return;
        if (format == LoggingConfig.Format.JSON) {
            TEXT.putIfAbsent(appender, current);
            JsonLineEncoder next = new JsonLineEncoder();
            next.setContext(context);
            next.start();
            appender.setEncoder(next); // OutputStreamAppender swaps under its own lock
        } else {
            Encoder<ILoggingEvent> text = TEXT.get(appender);
            if (text != null) appender.setEncoder(text);
        }
    }
}
