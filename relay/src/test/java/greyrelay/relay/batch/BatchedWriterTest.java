package greyrelay.relay.batch;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import greyrelay.relay.batch.BatchedWriter.Bound;
import greyrelay.relay.testing.CapturedLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BatchedWriterTest {
    final Counter dropped = new SimpleMeterRegistry().counter("test.dropped");
    final GatedStore store = new GatedStore();
    final CapturedLog logs = new CapturedLog();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(BatchedWriter.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        store.gate.countDown();
        ((Logger) LoggerFactory.getLogger(BatchedWriter.class)).detachAppender(logs);
    }

    BatchedWriter<String> writer(Bound<String> bound, int batchSize, Consumer<List<String>> to) {
        return new BatchedWriter<>("test log", bound, batchSize, to, dropped);
    }

    @Test
    void writes_what_waits_in_batches_of_at_most_the_batch_size() throws Exception {
        try (BatchedWriter<String> w = writer(Bound.rows(100), 3, store)) {
            w.accept("a");
            store.holding();
            for (String s : List.of("b", "c", "d", "e", "f", "g", "h")) w.accept(s);
            store.gate.countDown();
            w.flush();

            assertThat(store.batches).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e", "f", "g"), List.of("h"));
            assertThat(dropped.count()).isZero();
        }
    }

    @Test
    void beyond_the_row_bound_drops_and_counts_with_one_warning_per_overflow() throws Exception {
        try (BatchedWriter<String> w = writer(Bound.rows(3), 500, store)) {
            w.accept("a");
            store.holding();
            for (String s : List.of("b", "c", "d", "e", "f")) w.accept(s);

            assertThat(w.waiting()).isEqualTo(3);
            assertThat(dropped.count()).isEqualTo(2);
            assertThat(warnings()).hasSize(1).first().asString().contains("test log").contains("3 row(s) waiting");

            store.gate.countDown();
            w.flush();
            w.accept("g");
            w.flush();
            assertThat(store.written()).containsExactly("a", "b", "c", "d", "g");
            assertThat(warnings()).as("the queue drained, so the next overflow would warn again; none yet").hasSize(1);
        }
    }

    @Test
    void a_weight_bound_limits_the_total_and_frees_it_once_written() throws Exception {
        try (BatchedWriter<String> w = writer(Bound.rowsAndWeight(100, 10, String::length), 500, store)) {
            w.accept("x");
            store.holding(); // "x" is being written: its weight no longer counts
            w.accept("aaaaaa"); // 6
            w.accept("bbbbb"); // 11 > 10: dropped
            w.accept("cccc"); // 10
            w.accept("d"); // 11: dropped
            assertThat(dropped.count()).isEqualTo(2);

            store.gate.countDown();
            w.flush();
            w.accept("eeeeeeeeeee"); // 11 on its own: never fits
            w.accept("ffffffffff"); // 10: fits again now that the rest is written
            w.flush();

            assertThat(store.written()).containsExactly("x", "aaaaaa", "cccc", "ffffffffff");
            assertThat(dropped.count()).isEqualTo(3);
        }
    }

    @Test
    void close_drains_what_waits_without_interrupting_a_write_in_progress() throws Exception {
        BatchedWriter<String> w = writer(Bound.rows(100), 2, store);
        w.accept("a");
        store.holding(); // a slow database: the writer is inside a write
        for (String s : List.of("b", "c", "d", "e")) w.accept(s);

        Thread closer = Thread.ofPlatform().start(w::close);
        // close() waits for the writer (or, if it interrupted it, is already done)
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> closer.getState() == Thread.State.TIMED_WAITING || !closer.isAlive());
        w.accept("too late");
        store.gate.countDown();
        closer.join();

        assertThat(store.interrupted).as("the writing thread was interrupted").isFalse();
        assertThat(store.written()).containsExactly("a", "b", "c", "d", "e");
        assertThat(dropped.count()).as("an item after close is dropped").isEqualTo(1);
    }

    @Test
    void a_batch_the_store_refuses_is_counted_and_the_writer_goes_on() {
        List<String> written = new CopyOnWriteArrayList<>();
        try (BatchedWriter<String> w = writer(Bound.rows(100), 500, batch -> {
            if (batch.contains("bad")) throw new IllegalStateException("database down");
            written.addAll(batch);
        })) {
            w.accept("bad");
            w.flush();
            w.accept("good");
            w.flush();

            assertThat(written).containsExactly("good");
            assertThat(dropped.count()).isEqualTo(1);
            assertThat(warnings()).hasSize(1).first().asString().contains("database down");
        }
    }

    private List<String> warnings() {
        return logs.events().stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void while_busy_rows_that_trickle_in_wait_for_the_linger_and_go_in_one_batch() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        // a linger longer than the test: after the first write, nothing is written unless a batch fills, someone flushes,
        // or the writer closes
        try (BatchedWriter<String> w = new BatchedWriter<>("test log", Bound.rows(100), 4, b -> batches.add(List.copyOf(b)), dropped,
                Duration.ofMinutes(1))) {
            w.accept("x");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
            assertThat(batches).as("after a quiet spell the first row goes at once").containsExactly(List.of("x"));
            batches.clear();

            w.accept("a");
            w.accept("b");
            w.accept("c");
            Thread.sleep(100);
            assertThat(batches).as("three rows of a batch of four wait for more").isEmpty();

            w.accept("d");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
            assertThat(batches).as("the fourth row fills the batch: written without waiting out the linger")
                    .containsExactly(List.of("a", "b", "c", "d"));

            w.accept("e");
            w.accept("f");
            long started = System.nanoTime();
            w.flush();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a flush cuts the linger short").isLessThan(Duration.ofSeconds(5));
            assertThat(batches).containsExactly(List.of("a", "b", "c", "d"), List.of("e", "f"));

            w.accept("g");
        }
        assertThat(batches).as("close writes what lingers").containsExactly(List.of("a", "b", "c", "d"), List.of("e", "f"), List.of("g"));
    }

    /** Records every batch; while the gate is shut, holds the writer inside its first write, as a slow database would. */
    static final class GatedStore implements Consumer<List<String>> {
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public void accept(List<String> batch) {
            batches.add(List.copyOf(batch));
            entered.countDown();
            try {
                if (!gate.await(10, TimeUnit.SECONDS)) throw new AssertionError("the test never opened the gate");
            } catch (InterruptedException e) {
                interrupted = true;
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until the writer is inside the store with its first batch. */
        void holding() throws InterruptedException {
            assertThat(entered.await(5, TimeUnit.SECONDS)).as("the writer took the first item").isTrue();
        }

        List<String> written() {
            return batches.stream().flatMap(List::stream).toList();
        }
    }
}
