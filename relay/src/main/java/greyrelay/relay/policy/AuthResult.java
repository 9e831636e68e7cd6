package greyrelay.relay.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code method=result} entry of our {@code Authentication-Results:} header (RFC 8601 §2.2), e.g.
 * {@code spf=pass smtp.mailfrom=jane@example.org}. Checks add entries to the {@link Transaction} (one per method);
 * the SMTP layer renders them, with our host name as the authserv-id, into one header at the end of DATA.
 *
 * @param method     registered method name, e.g. {@code spf}; {@code x-...} for our own
 * @param result     the method's result keyword, e.g. {@code pass}
 * @param reason     optional free text, rendered as {@code reason="..."} (remote text is quoted, never trusted)
 * @param properties {@code ptype.property=value} pairs in order, e.g. {@code smtp.mailfrom}
 */
public record AuthResult(String method, String result, Optional<String> reason, List<Property> properties) {
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final Pattern PROPERTY = Pattern.compile("[A-Za-z0-9-]+\\.[A-Za-z0-9._-]+");

    /** One {@code ptype.property=value}; the value may be remote text and is quoted when rendered if it must be. */
    public record Property(String name, String value) {
        public Property {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!PROPERTY.matcher(name).matches()) throw new IllegalArgumentException("not a ptype.property name: " + name);
        }
    }

    public AuthResult {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(reason, "reason");
        if (!KEYWORD.matcher(method).matches()) throw new IllegalArgumentException("not a method keyword: " + method);
        if (!KEYWORD.matcher(result).matches()) throw new IllegalArgumentException("not a result keyword: " + result);
        properties = List.copyOf(properties);
    }

    public static AuthResult of(String method, String result, Property... properties) {
        return new AuthResult(method, result, Optional.empty(), List.of(properties));
    }
}
