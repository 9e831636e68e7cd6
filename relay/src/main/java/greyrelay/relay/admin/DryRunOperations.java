package greyrelay.relay.admin;

import greyrelay.admin.decisions.DryRuns;
import greyrelay.db.decision.Outcome;
import greyrelay.relay.checks.DryRun;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.Verdict;
import java.util.OptionalLong;

/** The API's dry run ({@code POST /api/decisions/check}, {@code greyrelay check}) over the relay's {@link DryRun}. */
public final class DryRunOperations implements DryRuns {
    private final DryRun dryRun;

    public DryRunOperations(DryRun dryRun) {
        this.dryRun = dryRun;
    }

    @Override
    public Answer check(Request q) {
        DryRun.Result r = dryRun.run(new DryRun.Request(q.client(), q.helo(), q.sender(), q.recipient(),
                q.size().map(OptionalLong::of).orElse(OptionalLong.empty()), q.probe()));
        return new Answer(r.phase().name(), r.check().orElse(null), Outcome.valueOf(r.outcome().name()), r.reply().code(),
                r.reply().message(), r.why(), r.steps().stream().map(DryRunOperations::step).toList());
    }

    private static Step step(DryRun.Step s) {
        String noted = s.notes().isEmpty() ? null : String.join("; ", s.notes());
        return switch (s.verdict()) {
            case Verdict.Continue c -> new Step(s.phase().name(), s.check(), null, s.observe(), null, null, noted);
            case Verdict.Accept a -> new Step(s.phase().name(), s.check(), Outcome.ACCEPTED, s.observe(), null, null, a.why());
            case Verdict.Defer d -> answered(s, Outcome.DEFERRED, d.reply(), d.why());
            case Verdict.Reject x -> answered(s, Outcome.REJECTED, x.reply(), x.why());
            case Verdict.Disconnect d -> answered(s, Outcome.DISCONNECTED, d.reply(), d.why());
        };
    }

    private static Step answered(DryRun.Step s, Outcome o, Reply reply, String why) {
        return new Step(s.phase().name(), s.check(), o, s.observe(), reply.code(), reply.message(), why);
    }
}
