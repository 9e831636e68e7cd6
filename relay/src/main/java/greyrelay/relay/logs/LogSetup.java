package greyrelay.relay.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import greyrelay.relay.config.LoggingConfig;
import java.util.Iterator;
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

    private static void swapEncoder(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender, LoggingConfig.Format format) {
        Encoder<ILoggingEvent> current = appender.getEncoder();
        boolean json = current instanceof JsonLineEncoder;
        if (json == (format == LoggingConfig.Format.JSON)) return;
        Encoder<ILoggingEvent> next;
        if (format == LoggingConfig.Format.JSON) {
            next = new JsonLineEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            next = text;
        }
        next.setContext(context);
        next.start();
        appender.setEncoder(next); // OutputStreamAppender swaps under its own lock
    }

    /** The same line as logback.xml's. */
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%X{session:-}%X{queue:-}] %logger{0}: %msg%n";
}
