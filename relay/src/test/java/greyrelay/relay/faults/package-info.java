/**
 * The fault suite (issue 15): the relay as a separate JVM from the built jar ({@code testing.RelayProcess}), driven
 * over SMTP by a load generator ({@link greyrelay.relay.faults.SmtpLoad}) while the test hurts it — SIGKILL, a
 * downstream gone or answering 4xx, PostgreSQL cut behind a {@code testing.TcpProxy}, a full disk, DNS gone, slowloris
 * and garbage clients. Each scenario prints one counts line ({@link greyrelay.relay.faults.Ledger}) and asserts the
 * promise: every message answered {@code 250} is delivered, faults give 4xx, never a wrong 5xx or silence.
 *
 * <p>Classes are named {@code *ProcessIT} and run in failsafe after {@code package}, tagged {@code faults}. Durations
 * are system properties ({@link greyrelay.relay.faults.FaultParams}), short by default (CI), longer by hand.
 */
package greyrelay.relay.faults;
