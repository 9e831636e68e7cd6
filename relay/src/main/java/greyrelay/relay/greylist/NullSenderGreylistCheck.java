package greyrelay.relay.greylist;

import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Recipient;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.policy.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code null-sender-greylist} check (end of DATA): greylisting for the null sender {@code <>} (bounces), which the
 * RCPT {@code greylist} check leaves alone so that callback probes, which stop before DATA, get honest RCPT answers.
 * Each accepted recipient that is not exempt from {@link Exemption#GREYLISTING} has its own triplet ({@code <>} as
 * the sender); if any of them is deferred, the message is answered
 * {@code 451 4.7.1 Greylisted, please try again in N seconds} with the longest wait. The SMTP layer has already
 * drained the message, and the transaction is reset after the reply, so the session goes on.
 *
 * <p>Null-sender passes never count towards auto-whitelisting (a bounce proves nothing about the client), though an
 * already auto-whitelisted client's bounces pass. No first-sight hook: the null sender is never probed.
 */
public final class NullSenderGreylistCheck implements Check<PolicyRequest.Data> {
    private static final Logger log = LoggerFactory.getLogger(NullSenderGreylistCheck.class);

    private final Greylister greylister;
    private final Triplet.Keying keying;
    private final Clock clock;
    private final boolean observe;
    private final GreylistHeader header;
    private final Replies.GreylistedText text;

    NullSenderGreylistCheck(Greylister greylister, Triplet.Keying keying, Clock clock, boolean observe, GreylistHeader header,
            Replies.GreylistedText text) {
        this.text = text;
        this.greylister = greylister;
        this.keying = keying;
        this.clock = clock;
        this.observe = observe;
        this.header = header;
    }

    @Override
    public String name() {
        return "null-sender-greylist";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Data d) {
        if (!(d.tx().sender() instanceof Sender.Null)) return Verdict.CONTINUE;
        Instant now = clock.instant();
        String network = keying.network(d.session().clientAddress());
        var spfDomain = d.tx().facts().spf().flatMap(SpfFact::authorisedDomain);
        long retryIn = 0;
        String domain = "";
        long delayed = -1;
        List<String> deferred = new ArrayList<>();
        for (Recipient rc : d.tx().recipients()) {
            String rcpt = rc.mailbox().address();
            if (rc.exemptions().contains(Exemption.GREYLISTING)) {
                greylister.count(Greylister.Metric.WHITELISTED);
                d.tx().note(rcpt, "greylist: whitelisted");
                continue;
            }
            Triplet t = keying.of(d.session().clientAddress(), spfDomain, Sender.NULL, rc.mailbox());
            switch (greylister.decide(t, network, false, now)) {
                case Greylister.Result.Deferred x -> {
                    retryIn = Math.max(retryIn, x.retryInSeconds());
                    if (domain.isEmpty()) domain = rc.mailbox().domain();
                    deferred.add(GreylistCheck.why(x, t));
                }
                case Greylister.Result.Passed p -> {
                    if (p.outcome() instanceof GreylistOutcome.FirstPass f) {
                        delayed = Math.max(delayed, f.delayedSeconds());
                        d.tx().note(rcpt, "greylist: passed after " + f.delayedSeconds() + " s");
                        log.info("{}: greylist: null sender passed after {} s: {}", d.tx().id(), f.delayedSeconds(), t);
                    } else {
                        d.tx().note(rcpt, p.metric() == Greylister.Metric.AUTO_WHITELISTED
                                ? "greylist: auto-whitelisted client network " + network : "greylist: known triplet");
                    }
                }
            }
        }
        if (!deferred.isEmpty()) {
            return new Verdict.Defer(text.reply(retryIn, domain), "null sender " + String.join("; ", deferred));
        }
        if (delayed >= 0 && !observe) d.tx().addHeaderOnce(GreylistHeader.NAME, header.value(delayed, now, clock.getZone()));
        return Verdict.CONTINUE;
    }
}
