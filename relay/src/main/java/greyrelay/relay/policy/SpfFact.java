package greyrelay.relay.policy;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What SPF (RFC 7208) concluded about the transaction's sender: set once per transaction by the {@code spf} check
 * ({@link TransactionFacts#spf(SpfFact)}), read by the checks after it. Greylisting keys a triplet on
 * {@link #authorisedDomain()} when {@code greylist.spfDomainKey} is on; the {@code spf} check answers the
 * transaction's later recipients from it without asking DNS again.
 *
 * @param result the result as {@code Received-SPF:} and {@code Authentication-Results:} write it: {@code pass},
 *               {@code fail}, {@code softfail}, {@code neutral}, {@code none}, {@code temperror}, {@code permerror}
 * @param domain the domain whose policy was asked: the MAIL FROM domain, or the HELO name for the null sender;
 *               lower-cased, trailing dot dropped
 * @param why    one line for the decision log: result, domain, reason and any explanation (remote text, sanitised)
 */
public record SpfFact(String result, String domain, String why) {
    /** The one result that authorises the client. */
    public static final String PASS = "pass";

    public SpfFact {
        result = Objects.requireNonNull(result, "result").toLowerCase(Locale.ROOT);
        domain = Objects.requireNonNull(domain, "domain").strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) domain = domain.substring(0, domain.length() - 1);
        Objects.requireNonNull(why, "why");
        if (PASS.equals(result) && !isDomain(domain)) throw new IllegalArgumentException("not a domain: " + domain);
    }

    /** The domain that authorised the client, only when the result is {@code pass}. */
    public Optional<String> authorisedDomain() {
        return PASS.equals(result) ? Optional.of(domain) : Optional.empty();
    }

    private static boolean isDomain(String d) {
        if (d.isEmpty() || d.length() > 253) return false;
        for (int i = 0; i < d.length(); i++) {
            if (d.charAt(i) <= ' ' || d.charAt(i) == 0x7f) return false;
        }
        return true;
    }
}
