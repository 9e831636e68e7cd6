package greyrelay.relay.verify;

import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.batch.BatchedWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes probe history rows in batches, off the SMTP and probe threads: nobody waits on the history. At most 20,000
 * rows and {@value #MAX_BYTES} bytes of text wait (a transcript can be 200 KB, so rows alone would let the queue grow
 * to gigabytes); when the database is slow or down, rows beyond either bound are dropped and counted
 * ({@code greyrelay_verify_history_dropped_total}); the log lines still tell every probe.
 */
public final class ProbeLogWriter extends BatchedWriter<ProbeRecord> {
    static final int MAX_ROWS = 20_000;
    static final long MAX_BYTES = 32L * 1024 * 1024;

    public ProbeLogWriter(ProbeLog store, MeterRegistry metrics) {
        this(store::appendAll, MAX_ROWS, MAX_BYTES, metrics);
    }

    ProbeLogWriter(Consumer<List<ProbeRecord>> store, int maxRows, long maxBytes, MeterRegistry metrics) {
        super("probe log", Bound.rowsAndWeight(maxRows, maxBytes, ProbeLogWriter::bytes), 500, store,
                Counter.builder("greyrelay.verify.history.dropped").register(metrics));
    }

    /** What a row holds in memory, about: two bytes a char of its texts, and a fixed share for the rest. */
    static long bytes(ProbeRecord r) {
        long chars = length(r.transcript()) + length(r.replyText()) + length(r.address()) + length(r.domain())
                + length(r.mxHost()) + length(r.mxIp()) + length(r.sessionId()) + length(r.node());
        return 2 * chars + 128;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
