package greyrelay.admin.health;

import java.util.List;

/** Supplied by whoever embeds the panel (the relay) or by the standalone admin (database only). Must not block for long. */
@FunctionalInterface
public interface HealthSource {
    /** {@code /health}: the summary kept for existing checks. */
    Health check();

    /** {@code /health/live}: the process is alive and not wedged. Answering at all is the default. */
    default List<Condition> live() {
        return List.of(new Condition("process", true, "answering"));
    }

    /** {@code /health/ready}: able to take mail. By default what {@link #check()} says. */
    default List<Condition> ready() {
        Health h = check();
        return h.smtpListening() == null
                ? List.of(new Condition("database", h.databaseReachable(), h.databaseReachable() ? "reachable" : "unreachable"))
                : List.of(new Condition("smtp", h.smtpListening(), h.smtpListening() ? "listening" : "not listening"),
                        new Condition("database", h.databaseReachable(), h.databaseReachable() ? "reachable" : "unreachable"));
    }
}
