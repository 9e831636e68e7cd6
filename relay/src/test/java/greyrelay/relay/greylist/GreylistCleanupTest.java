package greyrelay.relay.greylist;

import static greyrelay.relay.testing.Examples.JANE;
import static greyrelay.relay.testing.Examples.JOHN;
import static greyrelay.relay.testing.Examples.MARY;
import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GreylistCleanupTest {
    @TempDir
    static Path dir;

    static Database db;
    GreylistFixture f;

    @BeforeAll
    static void open() {
        db = TestDatabases.h2(dir);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @AfterEach
    void land() {
        f.close();
    }

    @BeforeEach
    void fresh() throws SQLException {
        f = new GreylistFixture(db);
    }

    @Test
    void drops_what_expired_in_small_batches_and_keeps_the_rest() {
        GreylistCheck check = f.rcptCheck();
        for (int i = 0; i < 7; i++) check.evaluate(new Requests.Session("192.0.2.10").rcpt("s" + (char) ('a' + i) + "@example.org", JOHN));
        check.evaluate(new Requests.Session("198.51.100.20").rcpt(JANE, MARY));
        f.clock.advance(Duration.ofMinutes(6));
        check.evaluate(new Requests.Session("198.51.100.20").rcpt(JANE, MARY)); // passes: remembered for 35 days
        f.traps("trap@example.com").hit(new Requests.Session("203.0.113.5").facts, "t1", greyrelay.relay.address.Sender.NULL,
                "trap@example.com", f.clock.instant());
        f.flushed(); // the first sights are written behind the decisions
        f.clock.advance(Duration.ofDays(3)); // grey ones (window 2 days) and the 24 h block are over
        GreylistCleanup cleanup = new GreylistCleanup(f.store, f.blocks, f.clock, 3, 100, f.metrics);

        GreylistCleanup.Counts counts = cleanup.runOnce();

        assertThat(counts).isEqualTo(new GreylistCleanup.Counts(7, 0, 1, 1));
        assertThat(f.metrics.get("greyrelay.greylist.cleanup.dropped").tag("what", "triplets").counter().count()).isEqualTo(7);
    }

    @Test
    void one_run_stops_after_its_batch_budget() {
        GreylistCheck check = f.rcptCheck();
        for (int i = 0; i < 7; i++) check.evaluate(new Requests.Session("192.0.2.10").rcpt("s" + (char) ('a' + i) + "@example.org", JOHN));
        f.flushed(); // the first sights are written behind the decisions
        f.clock.advance(Duration.ofDays(3));

        assertThat(new GreylistCleanup(f.store, f.blocks, f.clock, 2, 2, f.metrics).runOnce().triplets()).isEqualTo(4);
        assertThat(f.store.countTriplets()).isEqualTo(3);
    }
}
