package greyrelay.relay.smtp;

import greyrelay.relay.policy.AuthResult;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Our {@code Authentication-Results:} header (RFC 8601), and the filter that keeps anyone else from writing one in
 * our name.
 *
 * <ul>
 *   <li>{@link #headerValue} renders the results checks collected on the transaction ({@code Transaction.addAuthResult},
 *       one per method: {@code spf} today, sender verification next) into one header, our host name as the
 *       authserv-id, put on top of the delivered message at the end of DATA.</li>
 *   <li>{@link #claimsAuthservId} is the {@code dropHeaderField} predicate: an incoming
 *       {@code Authentication-Results} whose authserv-id is our host name is a forgery (RFC 8601 §5: an MTA must
 *       remove such fields) and is dropped; one naming any other server passes untouched.</li>
 * </ul>
 */
public final class AuthenticationResults {
    private static final String NAME = "Authentication-Results";
    /** dot-atom local part @ domain, or a plain token: safe unquoted as an RFC 8601 pvalue. */
    private static final Pattern PLAIN_VALUE =
            Pattern.compile("(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@)?[A-Za-z0-9.-]+");
    private static final int MAX_VALUE = 256;

    private AuthenticationResults() {}

    /**
     * The header value ({@code authserv-id; method=result ptype.property=value; ...}), folded before each result, or
     * empty when there are no results.
     */
    public static Optional<String> headerValue(String authservId, List<AuthResult> results) {
        if (results.isEmpty()) return Optional.empty();
        StringBuilder sb = new StringBuilder(authservId);
        for (AuthResult r : results) {
            sb.append(";\r\n\t").append(r.method()).append('=').append(r.result());
            r.reason().ifPresent(reason -> sb.append(" reason=").append(quoted(reason)));
            for (AuthResult.Property p : r.properties()) {
                sb.append(' ').append(p.name()).append('=').append(pvalue(p.value()));
            }
        }
        return Optional.of(sb.toString());
    }

    /**
     * True for an {@code Authentication-Results} field (name, colon, value, folds as CRLF) whose authserv-id is
     * {@code authservId}, compared without case and without a trailing dot, quoted or not.
     */
    public static Predicate<String> claimsAuthservId(String authservId) {
        String ours = normalise(authservId);
        return field -> authservIdOf(field).map(id -> normalise(id).equals(ours)).orElse(false);
    }

    /** The authserv-id of an Authentication-Results field, or empty for any other field or an unreadable one. */
    static Optional<String> authservIdOf(String field) {
        int colon = field.indexOf(':');
        if (colon < 0 || !field.substring(0, colon).strip().equalsIgnoreCase(NAME)) return Optional.empty();
        String v = field.substring(colon + 1);
        int i = skipCfws(v, 0);
        if (i >= v.length()) return Optional.empty();
        if (v.charAt(i) == '"') {
            StringBuilder id = new StringBuilder();
            for (i++; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length()) {
                    id.append(v.charAt(++i));
                } else if (c == '"') {
                    return Optional.of(id.toString());
                } else {
                    id.append(c);
                }
            }
            return Optional.empty(); // unterminated
        }
        int start = i;
        while (i < v.length() && " \t\r\n;(".indexOf(v.charAt(i)) < 0) i++;
        return i > start ? Optional.of(v.substring(start, i)) : Optional.empty();
    }

    /** Skips folding white space and (nested) comments. */
    private static int skipCfws(String v, int i) {
        int depth = 0;
        while (i < v.length()) {
            char c = v.charAt(i);
            if (depth > 0 && c == '\\') {
                i += 2;
            } else if (c == '(') {
                depth++;
                i++;
            } else if (c == ')' && depth > 0) {
                depth--;
                i++;
            } else if (depth > 0 || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else {
                break;
            }
        }
        return i;
    }

    private static String normalise(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String pvalue(String value) {
        return value.length() <= MAX_VALUE && PLAIN_VALUE.matcher(value).matches() ? value : quoted(value);
    }

    /** A quoted-string: printable ASCII, quotes and backslashes escaped, bounded. */
    private static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && sb.length() < MAX_VALUE; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\');
            sb.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return sb.append('"').toString();
    }
}
