package greyrelay.relay.greylist;

import java.util.Locale;
import java.util.Objects;

/**
 * "SPF passed for this transaction, authorising {@code domain}": what an SPF check (RCPT step 9) leaves in
 * {@link greyrelay.relay.policy.SessionNotes} under {@link GreylistCheck#SPF_PASS_DOMAIN}, so that greylisting (step
 * 11, and the null sender's at the end of DATA) keys the triplet by that domain instead of the client network when
 * {@code greylist.spfDomainKey} is on. Session notes live as long as the connection; the transaction id ties the
 * note to one MAIL transaction, so a note left by an earlier transaction is ignored.
 *
 * <p>Writer, in the SPF check on a pass:
 * {@code request.notes().put(GreylistCheck.SPF_PASS_DOMAIN, new SpfPass(request.tx().id(), domain))}, where
 * {@code domain} is the MAIL FROM domain (or the HELO name for the null sender) that SPF authorised.
 *
 * @param transactionId the {@link greyrelay.relay.policy.Transaction#id()} the pass belongs to
 * @param domain        the SPF-authorised domain; lower-cased, trailing dot dropped
 */
public record SpfPass(String transactionId, String domain) {
    public SpfPass {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(domain, "domain");
        domain = domain.strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
        if (domain.isEmpty() || domain.length() > 253) throw new IllegalArgumentException("not a domain: " + domain);
        for (int i = 0; i < domain.length(); i++) {
            if (domain.charAt(i) <= ' ' || domain.charAt(i) == 0x7f) throw new IllegalArgumentException("not a domain: " + domain);
        }
    }
}
