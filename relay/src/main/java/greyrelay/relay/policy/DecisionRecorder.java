package greyrelay.relay.policy;

import greyrelay.relay.address.Sender;
import greyrelay.relay.text.SafeText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every final decision becomes one log line (Postfix's {@code reject: RCPT from …; from=<…> to=<…>} form),
 * one metric increment and one decision-log row; observe-mode checks record their would-be answer the same way.
 * The client's words (HELO, addresses) reach the line and the row only through {@link SafeText#printable}.
 */
public final class DecisionRecorder {
    private static final Logger log = LoggerFactory.getLogger("greyrelay.decision");

    private final Clock clock;
    private final MeterRegistry metrics;
    private final DecisionSink sink;
    /** The {@code greyrelay.decisions} counters, found once per combination of tags rather than per decision. */
    private final Map<DecisionTags, Counter> decisions = new ConcurrentHashMap<>();
    private final Counter policyPassed;

    private record DecisionTags(Phase phase, String check, Decision.Outcome outcome, boolean observe, Origin origin) {}

    public DecisionRecorder(Clock clock, MeterRegistry metrics, DecisionSink sink) {
        this.clock = clock;
        this.metrics = metrics;
        this.sink = sink;
        this.policyPassed = metrics.counter("greyrelay.policy.passed");
    }

    /** A check's non-continue verdict (or, when {@code observe}, what it would have answered). */
    public void decided(PolicyRequest request, String check, Verdict verdict, boolean observe) {
        Reply reply;
        String why;
        Decision.Outcome outcome;
        switch (verdict) {
            case Verdict.Defer d -> { reply = d.reply(); why = d.why(); outcome = Decision.Outcome.DEFERRED; }
            case Verdict.Reject r -> { reply = r.reply(); why = r.why(); outcome = Decision.Outcome.REJECTED; }
            case Verdict.Disconnect d -> { reply = d.reply(); why = d.why(); outcome = Decision.Outcome.DISCONNECTED; }
            case Verdict.Accept a -> { return; }
            case Verdict.Continue c -> { return; }
        }
        SessionFacts s = request.session();
        String txId = null;
        String sender = null;
        List<String> recipients = List.of();
        switch (request) {
            case PolicyRequest.Connect c -> { }
            case PolicyRequest.Mail m -> { txId = m.transactionId(); sender = SafeText.printable(m.reversePath()); }
            case PolicyRequest.Rcpt r -> {
                txId = r.tx().id();
                sender = SafeText.printable(r.tx().sender().toString());
                recipients = List.of(SafeText.printable(r.recipientText()));
            }
            case PolicyRequest.Data d -> {
                txId = d.tx().id();
                sender = SafeText.printable(d.tx().sender().toString());
                recipients = d.tx().recipients().stream().map(x -> SafeText.printable(x.mailbox().address())).toList();
            }
        }
        String helo = s.helo().map(SafeText::printable).orElse("");
        String verb = observe ? "observe" : switch (outcome) {
            case DEFERRED -> "defer";
            case REJECTED -> "reject";
            case DISCONNECTED -> "disconnect";
            case ACCEPTED -> "accept";
        };
        log.info("{}: {}: {} from {}: {}; from={} to={} helo=<{}> check={} reason={}",
                txId == null ? s.sessionId() : txId, verb, request.phase().name(), s.clientLabel(), reply.line(),
                sender == null ? "-" : "<" + sender + ">", recipients.isEmpty() ? "-" : "<" + String.join(">,<", recipients) + ">",
                helo, check, why);
        Decision.Outcome o = outcome;
        decisions.computeIfAbsent(new DecisionTags(request.phase(), check, o, observe, s.origin()), t -> metrics.counter(
                "greyrelay.decisions", "phase", t.phase().label(), "check", t.check(),
                "outcome", o.name().toLowerCase(java.util.Locale.ROOT), "observe", Boolean.toString(observe),
                "origin", t.origin().label())).increment();
        var now = clock.instant();
        if (recipients.isEmpty()) {
            sink.accept(new Decision(now, s.sessionId(), txId, request.phase(), check, outcome, observe, reply, why,
                    s.clientAddress().getHostAddress(), helo.isEmpty() ? null : helo, sender, null, null, s.origin()));
        } else {
            for (String rcpt : recipients) {
                sink.accept(new Decision(now, s.sessionId(), txId, request.phase(), check, outcome, observe, reply, why,
                        s.clientAddress().getHostAddress(), helo.isEmpty() ? null : helo, sender, rcpt, null, s.origin()));
            }
        }
    }

    /**
     * A recipient passed every RCPT check of a request that arrived over the Postfix policy protocol (answered
     * {@code DUNNO} or {@code PREPEND}): one row, check {@code policy}, no reply (Postfix answers the client).
     */
    public void passed(SessionFacts s, Transaction tx, String recipient) {
        String helo = s.helo().map(SafeText::printable).orElse(null);
        String rcpt = SafeText.printable(recipient);
        List<String> notes = tx.notes(recipient);
        String why = notes.isEmpty() ? "passed" : "passed; " + String.join("; ", notes);
        log.info("{}: pass: RCPT from {}: from={} to=<{}> helo=<{}> reason={}", tx.id(), s.clientLabel(),
                SafeText.printable(tx.sender().bracketed()), rcpt, helo == null ? "" : helo, why);
        policyPassed.increment();
        sink.accept(new Decision(clock.instant(), s.sessionId(), tx.id(), Phase.RCPT, "policy", Decision.Outcome.ACCEPTED, false,
                null, why, s.clientAddress().getHostAddress(), helo, SafeText.printable(tx.sender().toString()), rcpt, null,
                s.origin()));
    }

    /** The message is on disk and the client got 250: one row per recipient. */
    public void accepted(SessionFacts s, Transaction tx, String queueId, long size, Reply reply) {
        Sender sender = tx.sender();
        List<String> rcpts = tx.recipients().stream().map(r -> r.mailbox().address()).toList();
        String helo = s.helo().map(SafeText::printable).orElse(null);
        log.info("{}: queued as {}: from={} to=<{}> size={} client={} helo=<{}>", tx.id(), queueId,
                SafeText.printable(sender.bracketed()), SafeText.printable(String.join(">,<", rcpts)), size, s.clientLabel(),
                helo == null ? "" : helo);
        Counter.builder("greyrelay.messages.accepted").register(metrics).increment();
        var now = clock.instant();
        for (String rcpt : rcpts) {
            List<String> notes = tx.notes(rcpt);
            String why = notes.isEmpty() ? "queued" : "queued; " + String.join("; ", notes);
            sink.accept(new Decision(now, s.sessionId(), tx.id(), Phase.DATA, "queue", Decision.Outcome.ACCEPTED, false, reply,
                    why, s.clientAddress().getHostAddress(), helo, SafeText.printable(sender.toString()), SafeText.printable(rcpt),
                    queueId, s.origin()));
        }
    }
}
