package greyrelay.relay.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;

/**
 * Log events kept in memory for a test to read. Relay threads append while the test reads, and logback's list is a
 * plain {@code ArrayList}: reads take a copy under the appender's own lock ({@code AppenderBase.doAppend} holds it).
 */
public final class CapturedLog extends ListAppender<ILoggingEvent> {
    /** The events so far. */
    public List<ILoggingEvent> events() {
        synchronized (this) {
            return List.copyOf(list);
        }
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
