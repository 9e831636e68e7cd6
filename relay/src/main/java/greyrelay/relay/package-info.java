/**
 * The appliance, put together: {@link greyrelay.relay.Relay} builds the object graph by hand, in order — configuration
 * → database → DNS → features (whitelists, greylisting, verification, rate limits) → the check table and its pipeline
 * → spool, queue and delivery → SMTP listener → embedded admin panel — then starts it, runs the scheduled jobs on one
 * {@code greyrelay-scheduler} thread (decision-log retention, greylist cleanup, whitelist refresh, bucket cleanup,
 * verification upkeep) and stops it gracefully. No container, no reflection: a test builds a whole relay with a
 * {@code TestClock}, a test database and fakes of its peers ({@code Relay.create(config, clock, database, routing)}).
 *
 * <p>Talks to: every feature package, the db module (opening the database) and admin-ui (building the embedded panel
 * through {@code greyrelay.relay.admin.AdminWiring}). Only {@code greyrelay.relay.cli} uses it.
 *
 * <p>Must not: decide anything. The order of the checks is {@code checks.CheckTable}'s, a reply is {@code policy}'s, a
 * queue transition is {@code queue.QueuePolicy}'s; this package only wires and schedules. It reads no environment and no
 * file of its own: it is handed a {@code RelayConfig} and a {@code Clock}.
 *
 * <p>Known limits: the scheduled jobs share one thread, so a slow cleanup delays the next job (never mail). Shutdown
 * waits up to 30 s for a running job rather than interrupting it (interrupting H2 I/O can close the database file).
 *
 * <p>Config keys: all of them, handed on; read here directly: {@code dataDir} (the spool), {@code dns.*},
 * {@code decisionLog.retention}, {@code smtp.hostname}, {@code smtp.tls.*}, {@code admin.enabled}, {@code admin.bind},
 * {@code admin.port}, {@code smtp.shutdownGrace}. See docs/architecture.md.
 */
package greyrelay.relay;
