package greyrelay.relay.decisions;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.relay.policy.Decision;
import greyrelay.relay.policy.DecisionSink;
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
 * Writes decisions to the database in batches, off the SMTP threads: a client never waits on the decision log.
 * The queue is bounded; when the database is down or slow, rows beyond it are dropped and counted
 * ({@code greyrelay_decisions_dropped_total}) — the log lines still have every decision.
 */
public final class DecisionLogWriter implements DecisionSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DecisionLogWriter.class);
    private static final int BATCH = 500;

    private final DecisionLog store;
    private final String node;
    private final BlockingQueue<Decision> pending = new ArrayBlockingQueue<>(20_000);
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong handled = new java.util.concurrent.atomic.AtomicLong();
    private long lastFailureLog;

    public DecisionLogWriter(DecisionLog store, String node, MeterRegistry metrics) {
        this.store = store;
        this.node = node;
        this.dropped = Counter.builder("greyrelay.decisions.dropped").register(metrics);
        this.thread = Thread.ofVirtual().name("decision-log-writer").start(this::run);
    }

    @Override
    public void accept(Decision d) {
        if (pending.offer(d)) {
            queued.incrementAndGet();
        } else {
            dropped.increment();
        }
    }

    private void run() {
        List<Decision> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                Decision first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!running) break;
            }
        }
    }

    /** Returns once everything queued before the call is written (or given up on): tests, shutdown. At most 5 s. */
    public void flush() {
        long target = queued.get();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (handled.get() < target && System.nanoTime() < deadline) {
            if (!thread.isAlive()) {
                List<Decision> batch = new ArrayList<>();
                pending.drainTo(batch);
                if (!batch.isEmpty()) write(batch);
            } else {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void write(List<Decision> batch) {
        try {
            store.appendAll(batch.stream().map(this::toRecord).toList());
            handled.addAndGet(batch.size());
        } catch (RuntimeException e) {
            handled.addAndGet(batch.size());
            dropped.increment(batch.size());
            long now = System.currentTimeMillis();
            if (now - lastFailureLog > 60_000) {
                lastFailureLog = now;
                log.warn("decision log: {} row(s) not written: {}", batch.size(), e.getMessage());
            }
        }
    }

    private DecisionRecord toRecord(Decision d) {
        return new DecisionRecord(null, d.at(), node, d.sessionId(), d.transactionId(), d.phase().label(), d.check(),
                Outcome.valueOf(d.outcome().name()), d.observe(), d.reply() == null ? null : d.reply().code(),
                d.reply() == null ? null : d.reply().message(), d.reason(), d.client(), d.helo(), d.sender(), d.recipient(), d.queueId());
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
