package greyrelay.relay.verify;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.util.Locale;
import java.util.Set;

/**
 * {@code recipient-verification} (RCPT): the recipient must exist downstream (or be listed), so the relay never accepts mail it would later
 * bounce. Unknown → {@code 550 5.1.1}; downstream unreachable or unsure → {@code 451 4.4.3}. Role recipients
 * ({@code postmaster@}, {@code abuse@}) were accepted by {@code role-recipient} and are never asked about.
 */
public final class RecipientVerificationCheck implements Check<PolicyRequest.Rcpt> {
    private static final Set<String> ROLES = Set.of("postmaster", "abuse");

    /** Where the check gets its verdict: {@link RecipientVerifier#verify}, or for a dry run {@link RecipientVerifier#fromCache}. */
    @FunctionalInterface
    public interface Lookup {
        RecipientStatus verify(greyrelay.relay.address.Mailbox recipient, String sessionId);
    }

    private final Lookup verifier;

    public RecipientVerificationCheck(RecipientVerifier verifier) {
        this(verifier::verify);
    }

    public RecipientVerificationCheck(Lookup lookup) {
        this.verifier = lookup;
    }

    @Override
    public String name() {
        return "recipient-verification";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.recipient() == null || ROLES.contains(r.recipient().localPart().toLowerCase(Locale.ROOT))) return Verdict.CONTINUE;
        return switch (verifier.verify(r.recipient(), r.tx().id())) {
            case RecipientStatus.Exists e -> Verdict.CONTINUE;
            case RecipientStatus.Unknown u -> new Verdict.Reject(Replies.userUnknown(r.recipientText()), u.why());
            case RecipientStatus.TempFail t -> new Verdict.Defer(Replies.recipientVerificationTempFail(r.recipientText()), t.why());
        };
    }
}
