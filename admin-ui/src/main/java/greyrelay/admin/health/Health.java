package greyrelay.admin.health;

/**
 * What {@code GET /health} reports. {@code smtpListening} is null when the panel runs alone (no SMTP listener
 * in this process); queue figures are then null too.
 */
public record Health(Boolean smtpListening, boolean databaseReachable, Integer queueDepth, Long oldestMessageAgeSeconds) {
    public boolean ok() {
        return databaseReachable && (smtpListening == null || smtpListening);
    }
}
