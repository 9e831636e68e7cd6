package greyrelay.relay.address;

import java.util.Optional;

/**
 * RFC 5321 §4.1.2 mailbox syntax, strict where it matters for a relay: no control characters anywhere
 * (C0 with CR, LF, NUL; DEL; C1 with the one-byte ANSI escape CSI), no invisible format characters that reorder or
 * hide text (bidi overrides and marks; the joiners ZWNJ and ZWJ that some scripts need are kept), quoted local parts
 * only with printable content, a domain that is a host name (or a
 * U-label for SMTPUTF8), and the length limits. Address literals ({@code [192.0.2.1]}) are parsed so they
 * can be refused by name rather than by accident.
 */
final class AddressSyntax {
    private AddressSyntax() {}

    static Optional<Mailbox> parseMailbox(String s) {
        if (s == null || s.isEmpty() || s.length() > Mailbox.MAX_ADDRESS) return Optional.empty();
        if (s.codePoints().anyMatch(AddressSyntax::isHidden)) return Optional.empty();
        int at = s.lastIndexOf('@');
        if (at <= 0 || at == s.length() - 1) return Optional.empty();
        String local = s.substring(0, at);
        String domain = s.substring(at + 1);
        if (local.length() > Mailbox.MAX_LOCAL + 2) return Optional.empty();
        if (!(isDotAtom(local) || isQuoted(local))) return Optional.empty();
        if (!(isDomain(domain) || isAddressLiteral(domain))) return Optional.empty();
        return Optional.of(new Mailbox(local, domain));
    }

    /** A control character, an unpaired surrogate, a line or paragraph separator, or a format character but a joiner. */
    private static boolean isHidden(int cp) {
        if (Character.isISOControl(cp)) return true;
        int type = Character.getType(cp);
        if (type == Character.FORMAT) return cp != 0x200C && cp != 0x200D;
        return type == Character.SURROGATE || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }

    static boolean isDotAtom(String local) {
        if (local.isEmpty() || local.length() > Mailbox.MAX_LOCAL) return false;
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) return false;
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!(isAtext(c) || c == '.')) return false;
        }
        return true;
    }

    private static boolean isAtext(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0
                || (c >= 0x80 && !Character.isISOControl(c) && !Character.isWhitespace(c)); // SMTPUTF8
    }

    private static boolean isQuoted(String local) {
        if (local.length() < 2 || local.charAt(0) != '"' || local.charAt(local.length() - 1) != '"') return false;
        for (int i = 1; i < local.length() - 1; i++) {
            char c = local.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= local.length() - 1) return false;
                continue;
            }
            if (c == '"') return false;
        }
        return true;
    }

    static boolean isDomain(String d) {
        if (d.isEmpty() || d.length() > 253 || d.endsWith(".")) return false;
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                        || (c >= 0x80 && Character.isLetterOrDigit(c));
                if (!ok) return false;
            }
        }
        return true;
    }

    static boolean isAddressLiteral(String d) {
        return d.length() > 2 && d.charAt(0) == '[' && d.charAt(d.length() - 1) == ']';
    }
}
