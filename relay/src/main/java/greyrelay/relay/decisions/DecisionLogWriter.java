package greyrelay.relay.decisions;

import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.relay.batch.BatchedWriter;
import greyrelay.relay.policy.Decision;
import greyrelay.relay.policy.DecisionSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Writes decisions to the database in batches, off the SMTP threads: a client never waits on the decision log.
 * At most 20,000 rows wait; when the database is down or slow, rows beyond them are dropped and counted
 * ({@code greyrelay_decisions_dropped_total}) — the log lines still have every decision.
 */
public final class DecisionLogWriter extends BatchedWriter<Decision> implements DecisionSink {
    public DecisionLogWriter(DecisionLog store, String node, MeterRegistry metrics) {
        super("decision log", Bound.rows(20_000), 500,
                batch -> store.appendAll(batch.stream().map(d -> toRecord(d, node)).toList()),
                Counter.builder("greyrelay.decisions.dropped").register(metrics));
    }

    private static DecisionRecord toRecord(Decision d, String node) {
        return new DecisionRecord(null, d.at(), node, d.sessionId(), d.transactionId(), d.phase().label(), d.check(),
                Outcome.valueOf(d.outcome().name()), d.observe(), d.reply() == null ? null : d.reply().code(),
                d.reply() == null ? null : d.reply().message(), d.reason(), d.client(), d.helo(), d.sender(), d.recipient(), d.queueId(),
                d.origin().label());
    }
}
