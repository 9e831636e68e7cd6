package greyrelay.relay.smtp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The listener's meters: sessions open and how they ended, TLS sessions, and the time from a message's final dot to
 * our {@code 250} (spool commit included) as a histogram. Names are the dashboard's ({@code docker/grafana-dashboard.json}).
 */
public final class SmtpMetrics {
    /** How a session ended: QUIT, the client went away, we closed it (a 421, a timeout), refused before the banner. */
    enum End { QUIT, LOST, CLOSED, REFUSED }

    private final MeterRegistry registry;
    private final Timer endOfData;
    private final Map<End, Counter> ends = new EnumMap<>(End.class);
    private final Counter tls;

    public SmtpMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front, so every series exists (at 0) from the start, as dashboards and alerts expect
        for (End e : End.values()) {
            ends.put(e, Counter.builder("greyrelay.smtp.sessions").description("SMTP sessions by how they ended")
                    .tag("outcome", e.name().toLowerCase(Locale.ROOT)).register(registry));
        }
        this.tls = Counter.builder("greyrelay.smtp.tls.sessions").description("sessions that started TLS").register(registry);
        this.endOfData = Timer.builder("greyrelay.smtp.data.reply")
                .description("end of DATA (the final dot) to our reply, spool commit included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    void sessionsOpen(Map<?, ?> connections) {
        Gauge.builder("greyrelay.smtp.sessions.open", connections, Map::size).description("SMTP sessions open now").register(registry);
    }

    void ended(End how) {
        ends.get(how).increment();
    }

    void tls() {
        tls.increment();
    }

    void endOfData(long nanos) {
        endOfData.record(Duration.ofNanos(nanos));
    }
}
