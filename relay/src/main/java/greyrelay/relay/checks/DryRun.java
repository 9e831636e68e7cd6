package greyrelay.relay.checks;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Decision;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.MessageFacts;
import greyrelay.relay.policy.Phase;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code greyrelay check}: one client's mail (connect, MAIL, one RCPT, end of DATA) through the whole check table on
 * the relay's current state, telling each check's verdict and the reply the client would get, and changing nothing.
 *
 * <p>Dry by construction, not by tests in each check: the table is {@link CheckTable#dryRun rebuilt} on read-only twins
 * of the features (a triplet is decided without being stored, a spamtrap blocks nothing, a rate limit estimates
 * without taking a token, verification answers from its cache, vouching learns nothing), the pipeline is a
 * {@link Pipeline#tracing tracing} one (no decision-log row, no decision line, no decision metric), every counter goes
 * to a registry of its own, and no first-sight hook starts a probe. Only {@code probe} lets verification probe what its
 * cache lacks, as mail would.
 *
 * <p>What it cannot know: a DATA check sees a message of the given size with no headers (hop count and header size
 * pass); the pre-greeting test needs a connection and passes. Thread-safe.
 */
public final class DryRun {
    /**
     * One client's mail to ask about.
     *
     * @param sender    the reverse path as MAIL FROM would give it, {@code ""} for the null sender
     * @param recipient the forward path as RCPT TO would give it
     * @param size      MAIL FROM's SIZE= and the message's size at the end of DATA
     * @param probe     verification may probe what its cache does not know (a real probe, cached and recorded)
     */
    public record Request(InetAddress client, Optional<String> helo, String sender, String recipient, OptionalLong size,
            boolean probe) {
        public Request {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(helo, "helo");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(size, "size");
        }
    }

    /**
     * One check's verdict, in the order they ran; {@code notes} are what it left on the way (a whitelist's exemptions,
     * "greylist: known triplet"), the reason of a verdict that let the mail go on.
     */
    public record Step(Phase phase, String check, Verdict verdict, boolean observe, List<String> notes) {}

    /**
     * What the client would be told. {@code phase} is where the mail stopped (DATA when it would be queued);
     * {@code check} the check that answered, empty when none did (accepted, or refused by the SMTP layer itself);
     * {@code why} that check's reason.
     */
    public record Result(List<Step> steps, Phase phase, Optional<String> check, Decision.Outcome outcome, Reply reply, String why) {}

    /** The id the queue would give: a dry run queues nothing. */
    static final String NOT_QUEUED = "(dry-run)";

    private final CheckTable live;
    private final Clock clock;
    private final AtomicLong sessions = new AtomicLong();

    /** @param live the relay's own table; each dry run rebuilds it read-only */
    public DryRun(CheckTable live, Clock clock) {
        this.live = live;
        this.clock = clock;
    }

    public Result run(Request q) {
        Tracer trace = new Tracer();
        Pipeline p = live.dryRun(q.client(), q.probe()).tracingPipeline(trace);
        SessionNotes notes = new SessionNotes();
        String sessionId = "dry-run-" + sessions.incrementAndGet();
        SessionFacts facts = new SessionFacts(sessionId, q.client(), 0, Optional.empty(), false, clock.instant());

        Verdict v = p.connect(new PolicyRequest.Connect(facts, notes));
        if (stops(v)) return trace.result(Phase.CONNECT, v);
        facts = facts.withHelo(q.helo().orElse(null));

        String txId = sessionId + ".1";
        Optional<Sender> sender = Sender.parse(q.sender());
        v = p.mail(new PolicyRequest.Mail(facts, notes, txId, q.sender(), sender, q.size()));
        if (stops(v)) return trace.result(Phase.MAIL, v);
        if (sender.isEmpty()) return trace.result(Phase.MAIL, Replies.BAD_SENDER_SYNTAX, "no check refused it; never accepted");
        Transaction tx = new Transaction(txId, sender.get(), q.size());

        Mailbox mailbox = Mailbox.forwardPath(q.recipient(), live.postmasterDomain()).orElse(null);
        EnumSet<Exemption> exemptions = EnumSet.noneOf(Exemption.class);
        exemptions.addAll(notes.exemptions());
        v = p.rcpt(new PolicyRequest.Rcpt(facts, notes, tx, q.recipient(), mailbox, exemptions));
        if (stops(v)) return trace.result(Phase.RCPT, v);
        if (mailbox == null) return trace.result(Phase.RCPT, Replies.relayDenied(q.recipient()), "not a mailbox; never accepted");
        tx.addRecipient(new Recipient(mailbox, exemptions));

        v = p.data(new PolicyRequest.Data(facts, notes, tx, new MessageFacts(q.size().orElse(0), false, 0, false)));
        if (stops(v)) return trace.result(Phase.DATA, v);
        List<String> passed = tx.notes(mailbox.address());
        return trace.result(Phase.DATA, Replies.queued(NOT_QUEUED), passed.isEmpty() ? "queued" : "queued; " + String.join("; ", passed));
    }

    /** What ends the mail: any answer but continue and accept (accept ends a phase, not the mail). */
    private static boolean stops(Verdict v) {
        return !(v instanceof Verdict.Continue || v instanceof Verdict.Accept);
    }

    /** Collects every verdict with what its check noted; knows which check answered. */
    private static final class Tracer implements Pipeline.Trace {
        private final List<Step> steps = new ArrayList<>();
        private Set<Exemption> exempt = Set.of();
        private int noted;
        private String decidedBy;

        @Override
        public void step(PolicyRequest request, String check, Verdict verdict, boolean observe) {
            List<String> notes = new ArrayList<>();
            Set<Exemption> now = switch (request) {
                case PolicyRequest.Rcpt r -> r.exemptions();
                default -> request.notes().exemptions();
            };
            List<String> granted = now.stream().filter(e -> !exempt.contains(e)).map(DryRun::label).toList();
            if (!granted.isEmpty()) notes.add("exempt from " + String.join(", ", granted));
            exempt = Set.copyOf(now);
            if (request instanceof PolicyRequest.Rcpt r && r.recipient() != null) {
                List<String> all = r.tx().notes(r.recipient().address());
                notes.addAll(all.subList(Math.min(noted, all.size()), all.size()));
                noted = all.size();
            }
            steps.add(new Step(request.phase(), check, verdict, observe, List.copyOf(notes)));
            if (!observe && stops(verdict)) decidedBy = check;
        }

        Result result(Phase phase, Verdict v) {
            return switch (v) {
                case Verdict.Defer d -> result(phase, Decision.Outcome.DEFERRED, d.reply(), d.why());
                case Verdict.Reject r -> result(phase, Decision.Outcome.REJECTED, r.reply(), r.why());
                case Verdict.Disconnect d -> result(phase, Decision.Outcome.DISCONNECTED, d.reply(), d.why());
                case Verdict.Continue c -> throw new IllegalStateException("continue does not end the mail");
                case Verdict.Accept a -> throw new IllegalStateException("accept does not end the mail");
            };
        }

        Result result(Phase phase, Reply reply, String why) {
            return result(phase, reply.isPermanent() ? Decision.Outcome.REJECTED : Decision.Outcome.ACCEPTED, reply, why);
        }

        Result result(Phase phase, Decision.Outcome outcome, Reply reply, String why) {
            return new Result(List.copyOf(steps), phase, Optional.ofNullable(decidedBy), outcome, reply, why);
        }
    }

    static String label(Exemption e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
