package greyrelay.relay.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The removal thread's linger: jobs nobody waits on are gathered into one batch; a job someone waits on is not held. */
class GroupCommitLingerTest {
    record Job(String name, boolean awaited) {}

    @Test
    void jobs_nobody_waits_on_share_a_batch_and_an_awaited_job_is_not_held_back() throws Exception {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        try (GroupCommit<Job> g = new GroupCommit<>("test-linger", batch -> {
            batches.add(batch.stream().map(Job::name).toList());
            return 1;
        }, Duration.ofSeconds(2), j -> !j.awaited())) {
            List<CompletableFuture<Void>> later = List.of(g.submit(new Job("a", false)), g.submit(new Job("b", false)),
                    g.submit(new Job("c", false)));
            CompletableFuture.allOf(later.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            assertThat(batches).containsExactly(List.of("a", "b", "c"));

            long start = System.nanoTime();
            g.submit(new Job("now", true)).get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not held for the linger").isLessThan(Duration.ofMillis(1500));
            assertThat(batches).containsExactly(List.of("a", "b", "c"), List.of("now"));
        }
    }
}
