package greyrelay.relay.queue;

import static greyrelay.relay.testing.Examples.CLIENT_IP;
import static greyrelay.relay.testing.Examples.HELO;
import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.relay.address.Sender;
import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit, structurally: the commit thread syncs a lone message at once (nobody is waited for), messages that
 * arrive while a sync is in flight share the next one, and nobody's commit returns before the sync covering it did.
 */
class SpoolGroupCommitTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock();
    Spool spool;

    @BeforeEach
    void open() throws Exception {
        spool = new Spool(dir, clock, 0);
    }

    @AfterEach
    void close() {
        spool.close();
    }

    Envelope commit(String subject) throws Exception {
        try (Spool.Incoming in = spool.begin()) {
            String message = Examples.message(subject);
            in.out().write(message.getBytes(StandardCharsets.US_ASCII));
            Instant now = clock.instant();
            return in.commit(new Envelope(in.id(), Sender.parse(JANE).orElseThrow(), List.of(RecipientState.pending(JOHN)),
                    new Envelope.Arrival(now, new Envelope.Origin.Smtp(CLIENT_IP, HELO, "S1"), message.length(), List.of()),
                    Envelope.Schedule.first(now, Duration.ofDays(5))));
        }
    }

    CompletableFuture<Envelope> commitInBackground(String subject) {
        CompletableFuture<Envelope> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(commit(subject));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    @Test
    void a_lone_commit_is_synced_at_once_in_a_batch_of_its_own_and_later_arrivals_share_the_next_sync() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        spool.beforeSync(n -> {
            batches.add(n);
            syncing.countDown();
            try {
                gate.await(); // the disk is slow: this sync is in flight until the test says so
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        CompletableFuture<Envelope> lone = commitInBackground("lone");

        assertThat(syncing.await(10, TimeUnit.SECONDS)).as("the lone message's sync starts without waiting for another").isTrue();
        assertThat(batches).containsExactly(1);
        assertThat(lone).as("no commit returns (no 250) before its sync has completed").isNotDone();

        List<CompletableFuture<Envelope>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) later.add(commitInBackground("later-" + i));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (spool.commitsWaiting() < 5 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(spool.commitsWaiting()).isEqualTo(5);
        assertThat(later).noneMatch(CompletableFuture::isDone);

        gate.countDown();
        Envelope first = lone.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<Envelope> f : later) f.get(10, TimeUnit.SECONDS);

        assertThat(batches).as("the five that arrived during the first sync shared the second").containsExactly(1, 5);
        Spool.CommitStats stats = spool.commitStats();
        assertThat(stats.accepted()).isEqualTo(6);
        assertThat(stats.acceptBatchSizes()[1]).isEqualTo(1);
        assertThat(stats.acceptBatchSizes()[5]).isEqualTo(1);
        assertThat(spool.holds(first.id())).isTrue();
    }

    @Test
    void sequential_commits_never_wait_for_company() throws Exception {
        for (int i = 0; i < 3; i++) commit("one-by-one-" + i);

        Spool.CommitStats stats = spool.commitStats();
        assertThat(stats.acceptBatchSizes()[1]).isEqualTo(3);
        // the first commit also created the segment (one directory fsync); then one fdatasync per batch
        assertThat(stats.acceptSyncs()).isEqualTo(4);
    }

    @Test
    void a_batch_whose_sync_fails_is_refused_whole_and_cut_off_the_segment() throws Exception {
        Envelope before = commit("before");
        spool.beforeSync(n -> {
            throw new IllegalStateException("the disk said no");
        });

        assertThatThrownBy(() -> commit("refused")).isInstanceOf(SpoolException.class).hasMessageContaining("the disk said no");

        spool.beforeSync(n -> { });
        Envelope after = commit("after");
        try (Spool restarted = new Spool(dir, clock, 0)) {
            assertThat(restarted.recover()).extracting(Envelope::id).containsExactlyInAnyOrder(before.id(), after.id());
        }
    }
}
