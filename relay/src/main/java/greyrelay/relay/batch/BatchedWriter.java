package greyrelay.relay.batch;

import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes items to a store in batches on one daemon thread, so the threads that produce them (SMTP sessions, probes)
 * never wait on the database. What waits is bounded ({@link Bound}: rows, and optionally a total weight such as
 * bytes); beyond the bound an item is dropped and counted, with one WARN per overflow (the log lines of the producers
 * still tell every event). A batch the store refuses is dropped and counted too, with one WARN per run of failures.
 * While the writer is busy, a small batch lingers for more items (up to {@link #LINGER} after the last write); after a
 * quiet spell the first item goes at once.
 *
 * <p>{@link #close} stops taking items, lets the thread write what is queued and waits for it (at most
 * {@value #CLOSE_WAIT_SECONDS} s). It never interrupts the thread: a thread interrupted inside H2 I/O makes H2 close
 * its database file, which would lose this write and every later one.
 *
 * <p>Subclasses only configure it (which store, which bound, which metric); every method here is final.
 */
public class BatchedWriter<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BatchedWriter.class);
    static final int CLOSE_WAIT_SECONDS = 5;
    /** How long, by default, a small batch waits for more rows while the writer is busy. */
    public static final Duration LINGER = Duration.ofMillis(20);

    /**
     * How much may wait to be written: at most {@code maxRows} items and, when a weigher is given, at most
     * {@code maxWeight} in total by it (an item heavier than {@code maxWeight} on its own is always dropped). The
     * weigher is asked again when an item is taken, so it must be cheap and give the same answer each time.
     */
    public record Bound<T>(int maxRows, long maxWeight, ToLongFunction<? super T> weigher) {
        public Bound {
            Objects.requireNonNull(weigher, "weigher");
            if (maxRows < 1) throw new IllegalArgumentException("maxRows must be positive: " + maxRows);
            if (maxWeight < 0) throw new IllegalArgumentException("maxWeight must not be negative: " + maxWeight);
        }

        /** At most {@code maxRows} items, whatever their size. */
        public static <T> Bound<T> rows(int maxRows) {
            return new Bound<>(maxRows, Long.MAX_VALUE, item -> 0);
        }

        /** At most {@code maxRows} items weighing at most {@code maxWeight} together (bytes of a transcript, say). */
        public static <T> Bound<T> rowsAndWeight(int maxRows, long maxWeight, ToLongFunction<? super T> weigher) {
            return new Bound<>(maxRows, maxWeight, weigher);
        }
    }

    private final String name;
    private final Bound<T> bound;
    private final int batchSize;
    private final Consumer<List<T>> store;
    private final Counter dropped;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when an item arrives, a batch is done, or the writer closes. */
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<T> pending = new ArrayDeque<>();
    private long pendingWeight;
    private long accepted;
    private long done; // written or given up on
    private boolean closed;
    private boolean overflowing;
    private boolean failing;
    /** The most rows a caller of {@link #flush} waits for: while some are not written, nothing lingers. */
    private long flushWanted;
    private final Duration linger;
    /** When the last batch was handed to the store ({@link System#nanoTime()}); only the writer thread uses it. */
    private long lastWrite;

    /**
     * @param name      what is written, for the thread's name and log lines ({@code "decision log"})
     * @param batchSize the most items handed to {@code store} at once
     * @param store     writes one batch (the list is reused once it returns); a RuntimeException drops that batch,
     *                  counted
     * @param dropped   counts every item not written
     */
    public BatchedWriter(String name, Bound<T> bound, int batchSize, Consumer<List<T>> store, Counter dropped) {
        this(name, bound, batchSize, store, dropped, LINGER);
    }

    /**
     * @param linger while the writer is busy, how long after the last batch a batch smaller than {@code batchSize} waits
     *               for more items; zero writes whatever waits at once
     */
    public BatchedWriter(String name, Bound<T> bound, int batchSize, Consumer<List<T>> store, Counter dropped, Duration linger) {
        this.linger = Objects.requireNonNull(linger, "linger");
        this.lastWrite = System.nanoTime() - linger.toNanos();
        this.name = Objects.requireNonNull(name, "name");
        this.bound = Objects.requireNonNull(bound, "bound");
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        this.batchSize = batchSize;
        this.store = Objects.requireNonNull(store, "store");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.thread = Thread.ofPlatform().daemon().name(name.replace(' ', '-') + "-writer").start(this::run);
    }

    /** Queues one item, or drops and counts it when the bound is reached or the writer is closed. Never blocks on I/O. */
    public final void accept(T item) {
        offer(item);
    }

    /** {@link #accept}, telling whether the item was queued (false: dropped and counted). */
    public final boolean offer(T item) {
        long weight = bound.weigher().applyAsLong(item);
        boolean firstOverflow;
        int rows;
        lock.lock();
        try {
            if (closed) {
                dropped.increment();
                log.debug("{}: closed, item dropped", name);
                return false;
            }
            if (pending.size() < bound.maxRows() && weight <= bound.maxWeight() - pendingWeight) {
                pending.add(item);
                pendingWeight += weight;
                accepted++;
                // the writer waits for a first item, then lingers for a full batch: it needs waking only for those two
                if (pending.size() == 1 || pending.size() == batchSize) changed.signalAll();
                return true;
            }
            firstOverflow = !overflowing;
            overflowing = true;
            rows = pending.size();
        } finally {
            lock.unlock();
        }
        dropped.increment();
        if (firstOverflow) {
            log.warn("{}: {} row(s) waiting, the bound is reached: dropping (and counting) rows until the writer catches up",
                    name, rows);
        }
        return false;
    }

    /**
     * Returns once everything accepted before the call is written or given up on, or after
     * {@value #CLOSE_WAIT_SECONDS} s (a database that hangs must not hang the caller): for tests, shutdown, and a
     * caller that needs one queued item in the store before it goes on.
     */
    public final void flush() {
        lock.lock();
        try {
            long target = accepted;
            flushWanted = Math.max(flushWanted, target);
            changed.signalAll(); // a lingering writer writes now
            long nanos = TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            while (done < target && nanos > 0 && thread.isAlive()) nanos = changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Stops taking items and waits for the queued ones to be written; never interrupts the writing thread. */
    @Override
    public final void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            if (!thread.join(Duration.ofSeconds(CLOSE_WAIT_SECONDS))) {
                log.warn("{}: still writing {} s after close; {} queued row(s) may be lost", name, CLOSE_WAIT_SECONDS,
                        waiting());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Items accepted and not yet taken by the writer. */
    final int waiting() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<T> batch = new ArrayList<>(batchSize);
        while (true) {
            lock.lock();
            try {
                while (pending.isEmpty() && !closed) changed.awaitUninterruptibly();
                if (pending.isEmpty()) return; // closed, and everything written
                linger();
                while (batch.size() < batchSize && !pending.isEmpty()) {
                    T item = pending.poll();
                    pendingWeight -= bound.weigher().applyAsLong(item);
                    batch.add(item);
                }
                if (pending.isEmpty()) overflowing = false;
            } finally {
                lock.unlock();
            }
            lastWrite = System.nanoTime();
            write(batch);
            lock.lock();
            try {
                done += batch.size();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            batch.clear();
        }
    }

    /**
     * While the writer is busy, a batch waits until {@code linger} ({@link #LINGER} by default) has passed since the last
     * one was handed to the store, unless it fills, the writer closes or someone flushes: rows that arrive one at a time
     * under load would otherwise be one transaction (and one statement of its own size) each, which cost the relay more
     * CPU than the rows themselves (README, Performance). After a quiet spell the first row goes at once, so a lone event
     * is in the store within milliseconds, as before. Nobody waits for these rows, so the delay costs no reply anything.
     */
    private void linger() {
        long nanos = linger.toNanos() - (System.nanoTime() - lastWrite);
        try {
            while (pending.size() < batchSize && !closed && flushWanted <= done && nanos > 0) nanos = changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<T> batch) {
        try {
            store.accept(batch);
            if (failing) {
                failing = false;
                log.info("{}: writing again", name);
            }
        } catch (RuntimeException e) {
            dropped.increment(batch.size());
            if (!failing) {
                failing = true;
                log.warn("{}: {} row(s) not written (and further failures are only counted until a write succeeds): {}",
                        name, batch.size(), e.getMessage());
            }
        }
    }
}
