package greyrelay.relay.verify;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ProbeLogWriterTest {

    static ProbeRecord row(int transcriptChars) {
        return new ProbeRecord(null, Instant.EPOCH, "relay", "s1", CacheKind.SENDER, "INLINE", "jane@example.org",
                "example.org", "mx.example.org", "192.0.2.1", "TEMPFAIL", null, "slow", "x".repeat(transcriptChars), 1, false);
    }

    @Test
    void the_waiting_queue_is_bounded_in_bytes_not_only_in_rows() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CountDownLatch gate = new CountDownLatch(1);
        List<ProbeRecord> written = new CopyOnWriteArrayList<>();
        CountDownLatch storing = new CountDownLatch(1);
        // a database that hangs: the first batch blocks, everything after it waits in memory
        try (ProbeLogWriter w = new ProbeLogWriter(batch -> {
            storing.countDown();
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.addAll(batch);
        }, 20_000, 1024 * 1024, metrics)) {
            w.accept(row(10));
            storing.await();
            // 200 KB transcripts: about 400 KB each in memory, so only two fit in 1 MiB although 20,000 rows would
            for (int i = 0; i < 10; i++) w.accept(row(200_000));
            assertThat(metrics.counter("greyrelay.verify.history.dropped").count()).isEqualTo(8);
            gate.countDown();
            w.flush();
            assertThat(written).hasSize(3);
            assertThat(ProbeLogWriter.MAX_BYTES).isLessThan(ProbeLogWriter.MAX_ROWS * ProbeLogWriter.bytes(row(200_000)) / 100);
        }
    }
}
