package greyrelay.relay.greylist;

import greyrelay.db.Database;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/** The greylist feature's parts over one database with emptied tables, a fresh clock and metrics. */
final class GreylistFixture implements AutoCloseable {
    final TestClock clock = new TestClock();
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final GreylistStore store;
    final TrapBlockStore blocks;
    final Triplet.Keying keying = new Triplet.Keying(24, 64, true);
    final Greylister greylister;
    final GreylistHeader header = new GreylistHeader("test", "mx.example.com");

    GreylistFixture(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM greylist_triplet");
            s.executeUpdate("DELETE FROM greylist_client");
            s.executeUpdate("DELETE FROM greylist_trap_block");
        }
        store = new GreylistStore(db);
        blocks = new TrapBlockStore(db);
        greylister = new Greylister(store, new GreylistPolicy(Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 5), clock, metrics, true);
    }

    /** The store once the greylister's queued writes have landed. */
    GreylistStore flushed() {
        greylister.flush();
        return store;
    }

    /** Lands the greylister's queued writes, so none reach the next test's emptied tables. */
    @Override
    public void close() {
        greylister.close();
    }

    GreylistCheck rcptCheck() {
        return new GreylistCheck(greylister, keying, clock, GreylistCheck.FirstSight.NONE, false, header, new greyrelay.relay.policy.Replies.GreylistedText(greyrelay.relay.policy.Replies.GREYLISTED_TEXT));
    }

    NullSenderGreylistCheck dataCheck() {
        return new NullSenderGreylistCheck(greylister, keying, clock, false, header, new greyrelay.relay.policy.Replies.GreylistedText(greyrelay.relay.policy.Replies.GREYLISTED_TEXT));
    }

    Spamtraps traps(String... addresses) {
        return new Spamtraps(List.of(addresses), blocks, keying, Duration.ofHours(24), clock, metrics);
    }

    double count(String outcome) {
        return metrics.get("greyrelay.greylist.decisions").tag("outcome", outcome).counter().count();
    }
}
