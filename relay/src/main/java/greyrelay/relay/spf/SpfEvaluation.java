package greyrelay.relay.spf;

import java.util.Objects;
import java.util.Optional;

/**
 * What one SPF evaluation found.
 *
 * @param result      the check_host() result
 * @param identity    which identity was checked: MAIL FROM, or HELO for the null sender
 * @param sender      the {@code <sender>} checked: {@code local@domain} ({@code postmaster@<helo>} for the null sender)
 * @param domain      the domain whose policy was asked (lower case, no trailing dot); the SPF-authorised domain when
 *                    the result is {@code pass}
 * @param explanation for {@code fail} only: the domain's {@code exp=} text, or the default; remote text, sanitised
 * @param mechanism   the directive that matched, as written, when one did
 * @param reason      one line saying why, for logs, headers and the decision log; may quote remote text (sanitised)
 */
public record SpfEvaluation(
        SpfResult result,
        Identity identity,
        String sender,
        String domain,
        Optional<String> explanation,
        Optional<String> mechanism,
        String reason) {

    /** RFC 7208 §2.3/§2.4: the identity check_host() was run for. */
    public enum Identity {
        MAILFROM, HELO;

        /** {@code mailfrom} or {@code helo}, as Received-SPF writes it. */
        public String token() {
            return this == MAILFROM ? "mailfrom" : "helo";
        }
    }

    private static final int MAX_TEXT = 300;

    public SpfEvaluation {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(domain, "domain");
        explanation = explanation.map(SpfEvaluation::safe);
        mechanism = mechanism.map(SpfEvaluation::safe);
        reason = safe(Objects.requireNonNull(reason, "reason"));
    }

    /** Remote text made harmless for one log or header line: printable ASCII, bounded. */
    static String safe(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && out.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
