package greyrelay.admin.health;

/** Supplied by whoever embeds the panel (the relay) or by the standalone admin (database only). Must not block for long. */
@FunctionalInterface
public interface HealthSource {
    Health check();
}
