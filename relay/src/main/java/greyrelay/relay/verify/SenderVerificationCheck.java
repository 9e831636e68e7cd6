package greyrelay.relay.verify;

import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.policy.SpfFact;
import greyrelay.relay.text.SafeText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Duration;
import java.util.Optional;

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
 * <p>Vouching ({@link Vouching}, {@code verification.vouch}, {@code vouchWhen}): a sender whose domain's probe budget
 * is used up or that is burst-frozen is accepted without a probe when SPF passed for its domain or the client's
 * network delivered verified mail of that domain before; the recipient's decision-log row then says
 * "sender-verification: vouched by SPF …" or "… vouched by known network …". A verified sender teaches the domain
 * its client's network ({@link VouchBook}).
 *
 * <p>{@link #prefetch} is the greylisting check's hook: when it first greylists a triplet it starts the probe in the
 * background, so the verdict is cached before the client retries.
 */
public final class SenderVerificationCheck implements Check<PolicyRequest.Rcpt> {
    private static final Logger log = LoggerFactory.getLogger(SenderVerificationCheck.class);

    /** Where the check gets its verdict: {@link SenderVerifier#verify} (cache, else a probe), or for a dry run {@link SenderVerifier#fromCache}. */
    @FunctionalInterface
    interface Lookup {
        SenderStatus verify(Mailbox sender, SenderVerifier.Context context, Duration maxWait);
    }

    private final SenderVerifier verifier;
    private final Lookup lookup;
    private final Duration maxWait;
    private final VerificationConfig.Unverifiable unverifiable;
    private final VerificationConfig.Unverifiable unprobeable;
    private final Vouching vouching;
    private final VouchBook vouches;

    SenderVerificationCheck(SenderVerifier verifier, Duration maxWait, VerificationConfig.Unverifiable unverifiable,
            VerificationConfig.Unverifiable unprobeable, Vouching vouching, VouchBook vouches) {
        this(verifier, verifier::verify, maxWait, unverifiable, unprobeable, vouching, vouches);
    }

    SenderVerificationCheck(SenderVerifier verifier, Lookup lookup, Duration maxWait, VerificationConfig.Unverifiable unverifiable,
            VerificationConfig.Unverifiable unprobeable, Vouching vouching, VouchBook vouches) {
        this.verifier = verifier;
        this.lookup = lookup;
        this.maxWait = maxWait;
        this.unverifiable = unverifiable;
        this.unprobeable = unprobeable;
        this.vouching = vouching;
        this.vouches = vouches;
    }

    @Override
    public String name() {
        return "sender-verification";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SENDER_VERIFICATION) || !(r.tx().sender() instanceof Sender.Address a)) return Verdict.CONTINUE;
        Mailbox sender = a.mailbox();
        Optional<SpfFact> spf = r.tx().facts().spf();
        Optional<Vouching.Vouched> early = vouching.beforeProbe(sender.domain(), spf);
        if (early.isPresent()) return vouched(r, sender, early.get());
        SenderStatus status = lookup.verify(sender, new SenderVerifier.Context(r.tx().id(), r.notes()), maxWait);
        Optional<Vouching.Vouched> busy = vouching.whenBusy(status, sender.domain(), spf,
                () -> vouches.isKnown(sender.domain(), r.session().clientAddress()));
        if (busy.isPresent()) return vouched(r, sender, busy.get());
        if (vouching.teaches(status)) vouches.learn(sender.domain(), r.session().clientAddress());
        return verdict(status, sender.address(), unverifiable, unprobeable);
    }

    /** Accepted without a probe: counted, and noted on the recipient's decision-log row. Other checks still ran. */
    private Verdict vouched(PolicyRequest.Rcpt r, Mailbox sender, Vouching.Vouched v) {
        log.info("{}: verify: sender <{}> from {} not probed, {}", r.tx().id(), SafeText.printable(sender.address()),
                r.session().clientLabel(), v.why());
        vouches.vouched(sender.domain(), v.reason());
        if (r.recipient() != null) r.tx().note(r.recipient().address(), name() + ": " + v.why());
        return Verdict.CONTINUE;
    }

    /**
     * Starts the probe of this request's sender in the background and returns at once; nothing for the null sender,
     * exempt transactions, or when the connection or the sender's domain has used up its probe budget.
     */
    public void prefetch(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.SENDER_VERIFICATION) || !(r.tx().sender() instanceof Sender.Address a)) return;
        // vouchWhen: always: an SPF-pass sender is never probed, not even ahead of its retry
        if (vouching.beforeProbe(a.mailbox().domain(), r.tx().facts().spf()).isPresent()) return;
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
