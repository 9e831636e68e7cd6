package greyrelay.relay.verify;

import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes probe history rows in batches, off the SMTP and probe threads: nobody waits on the history. The queue is
 * bounded; when the database is slow or down, rows beyond it are dropped and counted
 * ({@code greyrelay_verify_history_dropped_total}); the log lines still tell every probe.
 */
public final class ProbeLogWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeLogWriter.class);
    private static final int BATCH = 500;

    private final ProbeLog store;
    private final BlockingQueue<ProbeRecord> pending = new ArrayBlockingQueue<>(20_000);
    private final Counter dropped;
    private final Thread thread;
    private final Object writing = new Object();
    private volatile boolean running = true;
    private long lastFailureLog;

    public ProbeLogWriter(ProbeLog store, MeterRegistry metrics) {
        this.store = store;
        this.dropped = Counter.builder("greyrelay.verify.history.dropped").register(metrics);
        this.thread = Thread.ofVirtual().name("probe-log-writer").start(this::run);
    }

    public void accept(ProbeRecord record) {
        if (!pending.offer(record)) dropped.increment();
    }

    private void run() {
        List<ProbeRecord> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                ProbeRecord first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                synchronized (writing) {
                    batch.add(first);
                    pending.drainTo(batch, BATCH - 1);
                    write(batch);
                    batch.clear();
                }
            } catch (InterruptedException e) {
                if (!running) break;
            }
        }
    }

    /** Writes everything queued so far, and waits for a batch being written (tests, shutdown). */
    public void flush() {
        synchronized (writing) {
            List<ProbeRecord> batch = new ArrayList<>();
            pending.drainTo(batch);
            if (!batch.isEmpty()) write(batch);
        }
    }

    private void write(List<ProbeRecord> batch) {
        try {
            store.appendAll(batch);
        } catch (RuntimeException e) {
            dropped.increment(batch.size());
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                log.warn("probe log: {} row(s) not written: {}", batch.size(), e.getMessage());
            }
        }
    }

    /** Stops after writing what is queued. No interrupt: H2 closes its file when a thread doing I/O is interrupted. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
