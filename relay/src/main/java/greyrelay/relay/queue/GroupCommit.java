package greyrelay.relay.queue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that writes and syncs the jobs of many callers together. It takes whatever is pending the moment it is
 * free — a lone job at once, with nobody to wait for — writes it all and syncs once; jobs that arrive while a sync is
 * in flight form the next batch. There is no timer and no batch size to reach: batches grow only because the disk is
 * slow, which is exactly when sharing a sync pays.
 */
final class GroupCommit<J> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    /** Batch sizes counted one by one up to this; larger batches in the last slot. */
    static final int MAX_COUNTED_BATCH = 256;

    /** Writes a batch and makes it durable; answers how many syncs that took. Throws when none of it may be reported. */
    interface Writer<J> {
        int writeAndSync(List<J> batch) throws IOException;
    }

    private record Pending<J>(J job, CompletableFuture<Void> done) {}

    /**
     * What the thread did: {@code batches} written, {@code jobs} in them, {@code syncs} (fdatasync/fsync calls), and
     * {@code batchSizes[n]} = how many batches held n jobs ({@code [MAX_COUNTED_BATCH]}: that many or more).
     */
    record Stats(long batches, long jobs, long syncs, long[] batchSizes) {}

    private final LinkedBlockingQueue<Pending<J>> queue = new LinkedBlockingQueue<>();
    private final Writer<J> writer;
    private final long lingerNanos;
    private final Predicate<J> lingersFor;
    private final Thread thread;
    private final long[] sizes = new long[MAX_COUNTED_BATCH + 1];
    private long batches;
    private long jobs;
    private long syncs;
    private volatile boolean closed;

    GroupCommit(String name, Writer<J> writer) {
        this(name, writer, Duration.ZERO, j -> false);
    }

    /**
     * With {@code linger}: when the first job of a batch is one {@code lingersFor} (work nobody waits on, such as a
     * delivered message's removal), the thread waits that long before taking the rest: fewer syncs matter more there
     * than how soon each job is durable.
     */
    GroupCommit(String name, Writer<J> writer, Duration linger, Predicate<J> lingersFor) {
        this.writer = writer;
        this.lingerNanos = linger.toNanos();
        this.lingersFor = lingersFor;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** Hands a job to the thread; the future completes once its batch is durable (or failed). */
    CompletableFuture<Void> submit(J job) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.completeExceptionally(new IOException("the spool is closed"));
            return done;
        }
        queue.add(new Pending<>(job, done));
        if (closed) failPending(); // close() ran between the check and the add
        return done;
    }

    private void run() {
        List<Pending<J>> batch = new ArrayList<>();
        List<J> work = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            J first = batch.getFirst().job();
            if (lingerNanos > 0 && first != null && lingersFor.test(first)) LockSupport.parkNanos(lingerNanos);
            queue.drainTo(batch);
            // close() queues a job of its own (null) rather than interrupting: an interrupt would close the file channel
            stop = batch.removeIf(p -> p.job() == null);
            if (batch.isEmpty()) break;
            for (Pending<J> p : batch) work.add(p.job());
            try {
                int n = writer.writeAndSync(work);
                count(work.size(), n);
                for (Pending<J> p : batch) p.done().complete(null);
            } catch (IOException | RuntimeException e) {
                for (Pending<J> p : batch) p.done().completeExceptionally(e);
            } catch (Error e) {
                for (Pending<J> p : batch) p.done().completeExceptionally(e);
                log.error("{}: stopped", thread.getName(), e);
                throw e;
            }
            batch.clear();
            work.clear();
        }
        failPending();
    }

    private synchronized void count(int batchSize, int syncCount) {
        batches++;
        jobs += batchSize;
        syncs += syncCount;
        sizes[Math.min(batchSize, MAX_COUNTED_BATCH)]++;
    }

    /** Jobs submitted and not yet taken into a batch. */
    int waiting() {
        return queue.size();
    }

    synchronized Stats stats() {
        return new Stats(batches, jobs, syncs, sizes.clone());
    }

    private void failPending() {
        Pending<J> p;
        while ((p = queue.poll()) != null) p.done().completeExceptionally(new IOException("the spool is closed"));
    }

    /** Stops the thread after the batch in hand; what is still queued fails. */
    @Override
    public void close() {
        closed = true;
        queue.add(new Pending<>(null, new CompletableFuture<>()));
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPending();
    }
}
