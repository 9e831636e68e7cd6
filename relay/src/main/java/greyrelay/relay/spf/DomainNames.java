package greyrelay.relay.spf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Domain names as SPF handles them: raw text (what macros expand to, any octets), checked and cut to DNS limits
 * here, and escaped for the {@code Dns} layer, which only takes printable ASCII. RFC 7208 does not restrict the
 * octets of a target name (RFC 2181 §11 allows any), so a name with spaces, produced by {@code %_}, is still
 * looked up: its odd octets travel as {@code \DDD} escapes, which dnsjava turns back into the same octets.
 */
final class DomainNames {
    static final int MAX_OCTETS = 253;
    static final int MAX_LABEL = 63;

    private DomainNames() {}

    /** Without one trailing dot (the root), as SPF compares and queries names. */
    static String withoutRootDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * True when {@code name} (root dot already removed) can be put in a query: not empty, no empty label, no label
     * over 63 octets, at most 253 octets. Anything else cannot exist in the DNS, so it is never asked for.
     */
    static boolean isQueryable(String name) {
        if (name.isEmpty() || octets(name) > MAX_OCTETS) return false;
        for (String label : name.split("\\.", -1)) {
            int n = octets(label);
            if (n == 0 || n > MAX_LABEL) return false;
        }
        return true;
    }

    /**
     * RFC 7208 §4.3: the checked domain must be a well-formed, multi-label name (no domain literal, no empty or
     * over-long label); otherwise check_host() is not run and the result is {@code none}.
     */
    static boolean isCheckable(String domain) {
        String d = withoutRootDot(domain);
        return !d.startsWith("[") && d.indexOf('.') > 0 && isQueryable(d);
    }

    /**
     * RFC 7208 §7.3: a macro-expanded name over 253 octets loses labels from the left until it fits. The root
     * dot is dropped first.
     */
    static String truncate(String expanded) {
        String name = withoutRootDot(expanded);
        while (octets(name) > MAX_OCTETS) {
            int dot = name.indexOf('.');
            if (dot < 0) return name; // one huge label: left as is, isQueryable says no
            name = name.substring(dot + 1);
        }
        return name;
    }

    /** Equal, or a subdomain of {@code parent}; case-insensitive. */
    static boolean isSameOrBelow(String name, String parent) {
        String n = withoutRootDot(name).toLowerCase(Locale.ROOT);
        String p = withoutRootDot(parent).toLowerCase(Locale.ROOT);
        return n.equals(p) || n.endsWith("." + p);
    }

    /** Text for the {@code Dns} layer: UTF-8 octets, with everything but printable ASCII, {@code \} and {@code @} as {@code \DDD}. */
    static String toQuery(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v <= 0x20 || v >= 0x7f || v == '\\' || v == '@') {
                sb.append('\\').append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10)).append((char) ('0' + v % 10));
            } else {
                sb.append((char) v);
            }
        }
        return sb.toString();
    }

    /** A name from an answer ({@code \DDD} and {@code \c} escapes) back to raw text; UTF-8 when valid, else Latin-1. */
    static String fromAnswer(String presentation) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(presentation.length());
        for (int i = 0; i < presentation.length(); i++) {
            char c = presentation.charAt(i);
            if (c == '\\' && isDigits(presentation, i + 1)) {
                out.write(Integer.parseInt(presentation.substring(i + 1, i + 4)) & 0xff);
                i += 3;
            } else if (c == '\\' && i + 1 < presentation.length()) {
                out.write(presentation.charAt(++i) & 0xff);
            } else {
                out.write(c & 0xff);
            }
        }
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean isDigits(String s, int from) {
        if (from + 3 > s.length()) return false;
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }

    static int octets(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
