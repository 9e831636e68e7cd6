package greyrelay.relay.it;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.relay.testing.RelayHarness;
import java.util.List;
import java.util.function.Predicate;

/**
 * The decision log as the abuse-control scenario tests read it. The writer stores rows on its own thread, and its
 * {@code flush()} does not wait for a batch that thread has already taken, so this polls (briefly, bounded) until a
 * row matching the condition is there. Real time, but only to wait for an asynchronous write, never to move time.
 */
final class AbuseDecisions {
    private AbuseDecisions() {}

    static List<DecisionRecord> awaitRow(RelayHarness h, Predicate<DecisionRecord> wanted) throws InterruptedException {
        DecisionLog log = new DecisionLog(h.relay.database());
        List<DecisionRecord> rows = List.of();
        for (int i = 0; i < 250; i++) {
            h.relay.decisions().flush();
            rows = log.search(DecisionQuery.newest(100));
            if (rows.stream().anyMatch(wanted)) return rows;
            Thread.sleep(20);
        }
        return rows;
    }
}
