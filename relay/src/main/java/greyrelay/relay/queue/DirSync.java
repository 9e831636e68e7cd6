package greyrelay.relay.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for a directory's entries: a caller that has just renamed or removed a file asks for a sync and returns
 * once an fsync of the directory has started after its request. Concurrent callers share one fsync instead of
 * queueing one each, which is what makes many parallel sessions cheap on a slow disk.
 */
final class DirSync {
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested;
    private long completed;
    private boolean syncing;
    private final java.util.concurrent.atomic.AtomicLong syncs = new java.util.concurrent.atomic.AtomicLong();

    DirSync(Path dir) {
        this.dir = dir;
    }

    /** How many fsyncs of the directory were made (for the benchmark's syncs per message). */
    long syncs() {
        return syncs.get();
    }

    void sync() throws IOException {
        long mine;
        lock.lock();
        try {
            mine = ++requested;
            while (true) {
                if (completed >= mine) return;
                if (!syncing) break;
                done.awaitUninterruptibly();
            }
            syncing = true;
        } finally {
            lock.unlock();
        }
        long upTo;
        lock.lock();
        try {
            upTo = requested; // everything requested so far was renamed before it was requested
        } finally {
            lock.unlock();
        }
        IOException failure = null;
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
            syncs.incrementAndGet();
        } catch (IOException e) {
            failure = e;
        }
        lock.lock();
        try {
            syncing = false;
            if (failure == null) completed = Math.max(completed, upTo);
            done.signalAll();
        } finally {
            lock.unlock();
        }
        if (failure != null) throw failure;
        // our own request is covered (mine <= upTo)
    }
}
