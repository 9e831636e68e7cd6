package greyrelay.relay.access;

import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Verdict;
import java.util.Locale;
import java.util.Set;

/**
 * {@code role-recipient} (RCPT): {@code postmaster@} and {@code abuse@} of our domains (and a bare {@code <postmaster>}) are always
 * accepted (RFC 5321 §4.5.1, RFC 2142): a site that blocked us must still be able to tell us. Only the recipient
 * grants this; a sender's local part never does. Rate limits are not skipped: {@code rate-limit} runs before this
 * check, so these recipients count like any other and a client over its limit hears {@code 451 4.7.1} for them too
 * (as Postfix's anvil limits apply to every recipient); that answer is temporary, so the mail still arrives later.
 */
public final class RoleRecipientCheck implements Check<PolicyRequest.Rcpt> {
    private static final Set<String> ROLES = Set.of("postmaster", "abuse");

    @Override
    public String name() {
        return "role-recipient";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.recipient() != null && ROLES.contains(r.recipient().localPart().toLowerCase(Locale.ROOT))) {
            return new Verdict.Accept("role address " + r.recipient().localPart().toLowerCase(Locale.ROOT));
        }
        return Verdict.CONTINUE;
    }
}
