package greyrelay.relay.dns;

import java.util.Locale;
import java.util.Optional;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Turns caller text into query names and answer names into text. */
final class DnsNames {

    /** RFC 1035 §2.3.4: 255 octets on the wire, which is 253 characters of text without the final dot. */
    private static final int MAX_TEXT_LENGTH = 253;

    private DnsNames() {}

    /**
     * The absolute, lower-case query name for {@code text}, or empty when it is not a valid domain name. Only
     * printable ASCII is accepted, so a caller's string never reaches dnsjava's parser with bytes it would
     * silently truncate, and an invalid name is never sent to a server.
     */
    static Optional<Name> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > MAX_TEXT_LENGTH || name.startsWith(".") || name.endsWith(".")
                || name.contains("..") || !printableAscii(name)) {
            return Optional.empty();
        }
        try {
            // fromString checks labels (1..63 octets) and the total wire length; it also reads \DDD escapes,
            // which is how answer names are written by name(), so such a name round-trips.
            Name parsed = Name.fromString(name, Name.root);
            return parsed.labels() < 2 ? Optional.empty() : Optional.of(parsed.canonicalize());
        } catch (TextParseException e) {
            return Optional.empty();
        }
    }

    /** Lower case, without the trailing dot; odd bytes appear as dnsjava's \DDD escapes, so the text is ASCII. */
    static String text(Name name) {
        return name.canonicalize().toString(true).toLowerCase(Locale.ROOT);
    }

    /** Key for caches and logs: lower case, one trailing dot removed. Not a validity check. */
    static String key(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }
}
