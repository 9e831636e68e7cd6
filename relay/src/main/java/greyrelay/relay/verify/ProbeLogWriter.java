package greyrelay.relay.verify;

import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.batch.BatchedWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes probe history rows in batches, off the SMTP and probe threads: nobody waits on the history. At most 20,000
 * rows wait; when the database is slow or down, rows beyond them are dropped and counted
 * ({@code greyrelay_verify_history_dropped_total}); the log lines still tell every probe.
 */
public final class ProbeLogWriter extends BatchedWriter<ProbeRecord> {
    public ProbeLogWriter(ProbeLog store, MeterRegistry metrics) {
        super("probe log", Bound.rows(20_000), 500, store::appendAll,
                Counter.builder("greyrelay.verify.history.dropped").register(metrics));
    }
}
