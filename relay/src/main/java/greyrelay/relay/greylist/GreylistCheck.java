package greyrelay.relay.greylist;

import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code greylist} check (RCPT): triplet greylisting. A new triplet gets {@code 451 4.7.1 Greylisted, please try again in N seconds}
 * (N = what is left of {@code greylist.delay}); a retry after the delay and within the retry window passes, and the
 * message gets an {@code X-Greylist} header saying how long it was delayed.
 *
 * <p>Skipped (continue) when the request is exempt from {@link Exemption#GREYLISTING} (whitelists, DNSWLs) and for
 * the null sender, whose triplets are greylisted at the end of DATA ({@link NullSenderGreylistCheck}), so other
 * sites' callback probes, which stop before DATA, get honest RCPT answers.
 *
 * <p>Hooks for other features:
 * <ul>
 *   <li>{@link FirstSight}: called exactly when a triplet is newly greylisted (first sight, or a forgotten triplet
 *       starting over; in observe mode too, where it is the would-be greylisting), once even when several threads or
 *       nodes see it at once, on the SMTP thread, after the entry is stored; exceptions are caught and logged.</li>
 *   <li>The transaction's {@link greyrelay.relay.policy.SpfFact}: when SPF passed, with
 *       {@code greylist.spfDomainKey} the triplet's client part is {@code spf:<domain>}.</li>
 * </ul>
 * In observe mode the entries are kept as in enforce mode (so switching to enforce starts warm), the pipeline
 * records the would-be 451, and no {@code X-Greylist} header is added (nothing was delayed).
 */
public final class GreylistCheck implements Check<PolicyRequest.Rcpt> {
    private static final Logger log = LoggerFactory.getLogger(GreylistCheck.class);

    /**
     * Told when a triplet is newly greylisted, e.g. to start a background callback probe so its verdict is cached
     * before the client retries. Must return quickly and never block (hand work to your own executor); exceptions
     * are caught and logged, never change the answer.
     */
    @FunctionalInterface
    public interface FirstSight {
        FirstSight NONE = request -> {};

        void greylisted(PolicyRequest.Rcpt request);
    }

    private final Greylister greylister;
    private final Triplet.Keying keying;
    private final Clock clock;
    private final FirstSight firstSight;
    private final boolean observe;
    private final GreylistHeader header;
    private final Replies.GreylistedText text;

    GreylistCheck(Greylister greylister, Triplet.Keying keying, Clock clock, FirstSight firstSight, boolean observe,
            GreylistHeader header, Replies.GreylistedText text) {
        this.text = text;
        this.greylister = greylister;
        this.keying = keying;
        this.clock = clock;
        this.firstSight = firstSight;
        this.observe = observe;
        this.header = header;
    }

    @Override
    public String name() {
        return "greylist";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.recipient() == null) return Verdict.CONTINUE; // the relay check refuses it; nothing to key
        String rcpt = r.recipient().address();
        if (r.exempt(Exemption.GREYLISTING)) {
            greylister.count(Greylister.Metric.WHITELISTED);
            r.tx().note(rcpt, "greylist: whitelisted");
            return Verdict.CONTINUE;
        }
        if (r.tx().sender() instanceof Sender.Null) return Verdict.CONTINUE; // at the end of DATA
        Triplet triplet = keying.of(r);
        Instant now = clock.instant();
        Greylister.Result result = greylister.decide(triplet, keying.network(r.session().clientAddress()), true, now);
        return switch (result) {
            case Greylister.Result.Deferred d -> {
                if (d.firstSight()) tellFirstSight(r);
                yield new Verdict.Defer(text.reply(d.retryInSeconds(), r.recipient().domain()), why(d, triplet));
            }
            case Greylister.Result.Passed p -> {
                passed(r, rcpt, p, triplet, now);
                yield Verdict.CONTINUE;
            }
        };
    }

    private void passed(PolicyRequest.Rcpt r, String rcpt, Greylister.Result.Passed p, Triplet triplet, Instant now) {
        switch (p.outcome()) {
            case GreylistOutcome.FirstPass f -> {
                if (!observe) r.tx().addHeaderOnce(GreylistHeader.NAME, header.value(f.delayedSeconds(), now, clock.getZone()));
                r.tx().note(rcpt, "greylist: passed after " + f.delayedSeconds() + " s");
                log.info("{}: greylist: passed after {} s (attempt {}): {}", r.tx().id(), f.delayedSeconds(),
                        f.previous().attempts() + 1, triplet);
            }
            case GreylistOutcome.AutoWhitelisted a -> {
                r.tx().note(rcpt, "greylist: auto-whitelisted client network " + a.client().network());
                log.debug("{}: greylist: auto-whitelisted client network {} ({} passes): {}", r.tx().id(),
                        a.client().network(), a.client().passes(), triplet);
            }
            default -> {
                r.tx().note(rcpt, "greylist: known triplet");
                log.debug("{}: greylist: known triplet {}", r.tx().id(), triplet);
            }
        }
    }

    private void tellFirstSight(PolicyRequest.Rcpt r) {
        try {
            firstSight.greylisted(r);
        } catch (RuntimeException e) {
            log.warn("{}: greylist first-sight hook failed: {}", r.tx().id(), e.toString());
        }
    }

    static String why(Greylister.Result.Deferred d, Triplet triplet) {
        return switch (d.outcome()) {
            case GreylistOutcome.TooEarly t -> "greylisted: retry too early, attempt " + (t.entry().attempts() + 1)
                    + ", " + d.retryInSeconds() + " s left " + triplet;
            case GreylistOutcome.Restart x -> "greylisted: triplet forgotten, starting over " + triplet;
            default -> "greylisted: new triplet " + triplet;
        };
    }
}
