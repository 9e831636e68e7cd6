package greyrelay.db.ratelimit;

import greyrelay.db.Columns;
import greyrelay.db.net.IpNetwork;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One override of the configured rate limits, as one {@code rate_limit_override} row.
 *
 * <p>Validated and normalised at the boundary, so the admin panel gets a one-line reason for a bad value and two
 * spellings of one block cannot be two rows: a client match is an IP address or a CIDR block written in canonical
 * form ({@code 192.0.2.0/24}, {@code 2001:db8::/48}; a lone address gets {@code /32} or {@code /128}); a block with
 * host bits set is refused rather than silently widened. A sender-domain match is a lower-case domain, or
 * {@code .example.org} for every subdomain of example.org.
 *
 * @param id                   database id; null before the row is stored
 * @param match                the client block or sender domain, normalised
 * @param connectionsPerMinute null keeps the configured default, 0 means no limit; ignored for sender domains
 * @param messagesPerHour      null keeps the configured default, 0 means no limit
 * @param recipientsPerHour    null keeps the configured default, 0 means no limit; ignored for sender domains
 * @param note                 free text for the admin (why this override exists); may be null
 * @param updatedAt            when it was last saved; cut to microseconds, the precision both databases store
 */
public record RateLimitOverride(
        Long id,
        Kind kind,
        String match,
        Integer connectionsPerMinute,
        Integer messagesPerHour,
        Integer recipientsPerHour,
        String note,
        Instant updatedAt) {

    /** Largest number accepted for any limit: far above any sensible rate, far below overflow. */
    public static final int MAX_LIMIT = 10_000_000;
    static final int MAX_MATCH = 255;
    static final int MAX_NOTE = 500;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** What an override applies to; {@link #column()} is the value stored in {@code kind}. */
    public enum Kind {
        /** Clients whose address lies inside a CIDR block. */
        CLIENT("client"),
        /** Mail whose MAIL FROM domain is (or, with a leading dot, is under) a domain. */
        SENDER_DOMAIN("sender_domain");

        private final String column;

        Kind(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }

        static Kind fromColumn(String value) {
            for (Kind k : values()) {
                if (k.column.equals(value)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown rate-limit override kind: " + value);
        }
    }

    public RateLimitOverride {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(updatedAt, "updatedAt");
        match = switch (kind) {
            case CLIENT -> parseBlock(match).cidr();
            case SENDER_DOMAIN -> normaliseDomain(match);
        };
        connectionsPerMinute = limit("connectionsPerMinute", connectionsPerMinute);
        messagesPerHour = limit("messagesPerHour", messagesPerHour);
        recipientsPerHour = limit("recipientsPerHour", recipientsPerHour);
        if (kind == Kind.SENDER_DOMAIN && (connectionsPerMinute != null || recipientsPerHour != null)) {
            throw new IllegalArgumentException("a sender-domain override limits messages per hour only");
        }
        note = cleanNote(note);
        updatedAt = Columns.micros(updatedAt);
    }

    /** A client override without an id, for saving. */
    public static RateLimitOverride client(String block, Integer connectionsPerMinute, Integer messagesPerHour,
            Integer recipientsPerHour, String note, Instant updatedAt) {
        return new RateLimitOverride(null, Kind.CLIENT, block, connectionsPerMinute, messagesPerHour, recipientsPerHour,
                note, updatedAt);
    }

    /** A sender-domain override without an id, for saving. */
    public static RateLimitOverride senderDomain(String domain, Integer messagesPerHour, String note, Instant updatedAt) {
        return new RateLimitOverride(null, Kind.SENDER_DOMAIN, domain, null, messagesPerHour, null, note, updatedAt);
    }

    public RateLimitOverride withId(Long newId) {
        return new RateLimitOverride(newId, kind, match, connectionsPerMinute, messagesPerHour, recipientsPerHour, note,
                updatedAt);
    }

    /** The client block of a {@link Kind#CLIENT} override. */
    public IpNetwork block() {
        if (kind != Kind.CLIENT) {
            throw new IllegalStateException("not a client override: " + match);
        }
        return parseBlock(match);
    }

    /**
     * Parses {@code 192.0.2.0/24}, {@code 2001:db8::/32} or a lone address. Only literals are accepted, so this never
     * asks DNS; a block with host bits set is refused.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static IpNetwork parseBlock(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected an IP address or CIDR block, got nothing");
        }
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        InetAddress address;
        try {
            address = IpNetwork.literal(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IP address or CIDR block, got \"" + text + "\"");
        }
        if (addressText.indexOf(':') >= 0 && address instanceof Inet4Address) {
            throw new IllegalArgumentException("write an IPv4-mapped address as IPv4: \"" + text + "\"");
        }
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("expected a prefix length 0.." + bits + " after '/', got \"" + text + "\"");
            }
            prefix = Integer.parseInt(p);
        }
        IpNetwork block = IpNetwork.of(address, prefix);
        if (!block.address().equals(address)) {
            throw new IllegalArgumentException("host bits set in \"" + text + "\"; did you mean " + block.cidr() + "?");
        }
        return block;
    }

    /**
     * Lower case, trailing dot removed, LDH labels; a leading dot means "every subdomain".
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public static String normaliseDomain(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a domain such as example.org or .example.org, got nothing");
        }
        String d = text.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String name = d.startsWith(".") ? d.substring(1) : d;
        boolean ok = !name.isEmpty() && name.length() <= 253 && name.indexOf('.') > 0;
        if (ok) {
            for (String label : name.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("expected a domain such as example.org or .example.org, got \"" + text + "\"");
        }
        return d;
    }

    private static Integer limit(String name, Integer value) {
        if (value != null && (value < 0 || value > MAX_LIMIT)) {
            throw new IllegalArgumentException(name + " must be empty (the default), 0 (no limit) or up to " + MAX_LIMIT
                    + ", got " + value);
        }
        return value;
    }

    private static String cleanNote(String note) {
        if (note == null) {
            return null;
        }
        String n = note.replace('\0', '\uFFFD').strip();
        if (n.isEmpty()) {
            return null;
        }
        if (n.length() > MAX_NOTE) {
            int end = MAX_NOTE;
            if (Character.isHighSurrogate(n.charAt(end - 1))) {
                end--;
            }
            n = n.substring(0, end);
        }
        return n;
    }
}
