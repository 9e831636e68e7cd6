package greyrelay.relay.verify;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.time.Duration;

/**
 * {@code sender-verification} (RCPT): the sender verification verdict (docs/checks.md). Skipped for the null sender (bounces are never probed)
 * and when a whitelist exempts the transaction from {@link Exemption#SENDER_VERIFICATION}.
 *
 * <p>Replies: mailbox refused by the sender's MX → {@code 451 4.1.7} until confirmed, then {@code 550 5.1.7}; probe
 * could not finish (MX down, busy, 4xx to our probe, timeout, DNS failure, still running after
 * {@code verification.maxWait}) → {@code 451 4.4.3}; probe budget used up → {@code 451 4.4.5}; unverifiable →
 * accepted unverified (recorded in the probe history) or {@code 451 4.4.3} per {@code verification.unverifiable}; a
 * sender that cannot be probed as written (quoted specials, 8-bit; a quoted local part equal to a dot-atom is probed
 * plainly) → {@code 451 4.4.3} or accepted per {@code verification.unprobeable} (recorded in the probe history).
 *
 * <p>{@link #prefetch} is the greylisting check's hook: when it first greylists a triplet it starts the probe in the
 * background, so the verdict is cached before the client retries.
 */
public final class SenderVerificationCheck implements Check<PolicyRequest.Rcpt> {
    private final SenderVerifier verifier;
    private final Duration maxWait;
    private final VerificationConfig.Unverifiable unverifiable;
    private final VerificationConfig.Unverifiable unprobeable;

    public SenderVerificationCheck(SenderVerifier verifier, Duration maxWait, VerificationConfig.Unverifiable unverifiable,
            VerificationConfig.Unverifiable unprobeable) {
        this.verifier = verifier;
        this.maxWait = maxWait;
        this.unverifiable = unverifiable;
        this.unprobeable = unprobeable;
    }

    @Override
    public String name() {
        return "sender-verification";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SENDER_VERIFICATION) || !(r.tx().sender() instanceof Sender.Address a)) return Verdict.CONTINUE;
        Mailbox sender = a.mailbox();
        SenderStatus status = verifier.verify(sender, new SenderVerifier.Context(r.tx().id(), r.notes()), maxWait);
        return verdict(status, sender.address(), unverifiable, unprobeable);
    }

    /**
     * Starts the probe of this request's sender in the background and returns at once; nothing for the null sender,
     * exempt transactions, or when the connection or the sender's domain has used up its probe budget.
     */
    public void prefetch(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SENDER_VERIFICATION) || !(r.tx().sender() instanceof Sender.Address a)) return;
        verifier.prefetch(a.mailbox(), new SenderVerifier.Context(r.tx().id(), r.notes()));
    }

    /** The reply contract for each status. */
    static Verdict verdict(SenderStatus status, String sender, VerificationConfig.Unverifiable unverifiable,
            VerificationConfig.Unverifiable unprobeable) {
        return switch (status) {
            case SenderStatus.Unprobeable u -> unprobeable == VerificationConfig.Unverifiable.ACCEPT ? Verdict.CONTINUE
                    : new Verdict.Defer(Replies.senderVerificationTempFail(sender), "unprobeable: " + u.why());
            case SenderStatus.Deliverable d -> Verdict.CONTINUE;
            case SenderStatus.Unverifiable u -> unverifiable == VerificationConfig.Unverifiable.ACCEPT ? Verdict.CONTINUE
                    : new Verdict.Defer(Replies.senderVerificationTempFail(sender), "unverifiable: " + u.why());
            case SenderStatus.Undeliverable u -> u.confirmed()
                    ? new Verdict.Reject(Replies.senderUndeliverable(sender), "sender mailbox refused, confirmed: " + u.why())
                    : new Verdict.Defer(Replies.senderUndeliverableTemporarily(sender), "sender mailbox refused: " + u.why());
            case SenderStatus.TempFail t -> new Verdict.Defer(Replies.senderVerificationTempFail(sender), t.why());
            case SenderStatus.Pending p -> new Verdict.Defer(Replies.senderVerificationTempFail(sender), p.why());
            case SenderStatus.BudgetExhausted b -> new Verdict.Defer(Replies.probeBudgetExhausted(b.domain()), b.why());
            case SenderStatus.NoSuchDomain n -> new Verdict.Defer(Replies.senderDomainNotFound(sender), n.why());
            case SenderStatus.NullMx n -> new Verdict.Reject(Replies.senderNullMx(sender), "null MX");
        };
    }
}
