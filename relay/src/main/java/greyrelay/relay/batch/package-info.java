/**
 * {@link greyrelay.relay.batch.BatchedWriter}: the one way the relay writes rows that nobody may wait for (the
 * decision log, the probe history) — a bounded queue, a daemon thread writing batches, drops counted and logged once,
 * and a close that drains without interrupting a thread that may be inside H2 I/O.
 *
 * <p>Knows no store and no feature: the writers that use it ({@code decisions.DecisionLogWriter},
 * {@code verify.ProbeLogWriter}) give it a store, a bound and a metric. It must not grow policy (what to drop first,
 * retries): a dropped row is counted, and the producers' log lines still tell every event.
 */
package greyrelay.relay.batch;
