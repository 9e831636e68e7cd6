package greyrelay.relay.address;

import java.util.Locale;
import java.util.Optional;

/**
 * A plain {@code local@domain} mailbox: what every check and the prober work with. The domain is lower case
 * (no trailing dot), the local part keeps its case (RFC 5321 §2.4) but is compared case-insensitively where
 * that is the convention (role addresses, greylist triplets).
 */
public record Mailbox(String localPart, String domain) {
    public static final int MAX_LOCAL = 64;
    public static final int MAX_ADDRESS = 254;

    public Mailbox {
        if (localPart == null || localPart.isEmpty() || domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("empty local part or domain");
        }
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /** Parses a path as SMTP delivered it (angle brackets already removed). Only the plain form; anything else is empty. */
    public static Optional<Mailbox> parse(String address) {
        return AddressSyntax.parseMailbox(address);
    }

    /**
     * The mailbox a RCPT TO path names: a bare {@code postmaster} is our postmaster (RFC 5321 §4.5.1), a source route
     * is ignored (RFC 5321 §4.1.1.3), anything else must be a plain mailbox; empty otherwise (the relay check refuses it).
     */
    public static Optional<Mailbox> forwardPath(String text, String postmasterDomain) {
        String t = text;
        if (t.equalsIgnoreCase("postmaster")) return Optional.of(new Mailbox("postmaster", postmasterDomain));
        if (t.startsWith("@")) {
            int colon = t.indexOf(':');
            if (colon < 0) return Optional.empty();
            t = t.substring(colon + 1);
        }
        return parse(t);
    }

    /** True when the local part is a plain dot-atom: the only form the prober will ever put on the wire. */
    public boolean isPlain() {
        return AddressSyntax.isDotAtom(localPart);
    }

    /**
     * The same mailbox written plainly: a quoted local part whose content is a dot-atom ({@code "jane"@example.org},
     * {@code "ja\\ne"@example.org}) names the same mailbox as the dot-atom (RFC 5321 §4.1.2); itself when already plain;
     * empty when the quotes are needed (specials, spaces, an empty or dotted-wrong content).
     */
    public Optional<Mailbox> plainForm() {
        if (isPlain()) return Optional.of(this);
        if (localPart.length() < 2 || !localPart.startsWith("\"") || !localPart.endsWith("\"")) return Optional.empty();
        StringBuilder plain = new StringBuilder(localPart.length());
        for (int i = 1; i < localPart.length() - 1; i++) {
            char c = localPart.charAt(i);
            if (c == '\\' && i + 1 < localPart.length() - 1) c = localPart.charAt(++i);
            plain.append(c);
        }
        return AddressSyntax.isDotAtom(plain.toString()) ? Optional.of(new Mailbox(plain.toString(), domain)) : Optional.empty();
    }

    public String address() {
        return localPart + "@" + domain;
    }

    /** Lower-case form for keys (greylist triplets, caches). */
    public String normalised() {
        return localPart.toLowerCase(Locale.ROOT) + "@" + domain;
    }

    @Override
    public String toString() {
        return address();
    }
}
