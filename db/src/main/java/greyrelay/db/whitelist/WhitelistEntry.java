package greyrelay.db.whitelist;

import greyrelay.db.Columns;
import greyrelay.db.net.IpNetwork;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One whitelist entry. The value is validated and normalised here, so the admin panel, the importer and the relay
 * agree on one canonical spelling (and the database's unique key sees duplicates). Syntax by kind:
 *
 * <table>
 *   <caption>value syntax</caption>
 *   <tr><th>kind</th><th>value</th><th>matches</th></tr>
 *   <tr><td>CLIENT_ADDRESS</td><td>{@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::/32}</td>
 *       <td>the client address, or any address in the network</td></tr>
 *   <tr><td>CLIENT_HOST</td><td>{@code mail.example.org}</td>
 *       <td>a forward-confirmed client name equal to it or ending in {@code .mail.example.org}</td></tr>
 *   <tr><td></td><td>{@code /^mx[0-9]+\.example\.org$/}</td>
 *       <td>a forward-confirmed client name the regular expression finds (case-insensitive)</td></tr>
 *   <tr><td>SENDER</td><td>{@code jane@example.org}</td><td>that sender address (case-insensitive)</td></tr>
 *   <tr><td></td><td>{@code example.org}</td><td>senders in that domain or its subdomains</td></tr>
 *   <tr><td>RECIPIENT</td><td>{@code john@example.com}</td>
 *       <td>that address and its extensions ({@code john+lists@example.com})</td></tr>
 *   <tr><td></td><td>{@code john@}</td><td>that local part (and its extensions) in any domain</td></tr>
 *   <tr><td></td><td>{@code example.com}</td><td>recipients in that domain or its subdomains</td></tr>
 *   <tr><td></td><td>{@code /regex/}</td><td>recipients the regular expression finds (case-insensitive)</td></tr>
 * </table>
 *
 * <p>Domains and addresses are lower-cased; a leading or trailing dot of a domain is dropped. A domain needs at least
 * two labels (so a slip cannot whitelist a whole top-level domain). A sender entry never names a local part alone:
 * a sender address is easily forged, and the relay grants nothing by a sender's local part.
 *
 * @param id        database id; null before it is stored
 * @param note      free text for the admin (why it is here); may be null
 * @param source    who added it: {@code admin}, {@code import:<file name>}, …
 */
public record WhitelistEntry(Long id, WhitelistKind kind, String value, String note, String source, Instant createdAt) {
    static final int MAX_VALUE = 500;
    static final int MAX_NOTE = 1000;
    static final int MAX_SOURCE = 255;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    private static final Pattern LOCAL = Pattern.compile("[^\\s@\"<>()\\[\\]\\\\,;:]{1,64}");

    public WhitelistEntry {
        Objects.requireNonNull(kind, "kind");
        value = normalise(kind, value);
        note = note == null || note.isBlank() ? null : cut(note.strip(), MAX_NOTE);
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) throw new IllegalArgumentException("source must not be blank");
        source = cut(source.strip(), MAX_SOURCE);
        createdAt = Columns.micros(Objects.requireNonNull(createdAt, "createdAt"));
    }

    /** A new entry, not yet stored. */
    public static WhitelistEntry of(WhitelistKind kind, String value, String note, String source, Instant createdAt) {
        return new WhitelistEntry(null, kind, value, note, source, createdAt);
    }

    public WhitelistEntry withId(long newId) {
        return new WhitelistEntry(newId, kind, value, note, source, createdAt);
    }

    /** True when the value is a {@code /regex/}. */
    public boolean isRegex() {
        return isRegex(value);
    }

    /**
     * The canonical spelling of {@code value} for {@code kind}.
     *
     * @throws IllegalArgumentException saying what is wrong, fit to show to an admin
     */
    public static String normalise(WhitelistKind kind, String value) {
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        if (v.isEmpty()) throw new IllegalArgumentException("empty value");
        if (v.length() > MAX_VALUE) throw new IllegalArgumentException("longer than " + MAX_VALUE + " characters");
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) throw new IllegalArgumentException("control character in value");
        }
        return switch (kind) {
            case CLIENT_ADDRESS -> IpNetwork.parse(v).toString();
            case CLIENT_HOST -> isRegex(v) ? regex(v) : domain(v);
            case SENDER -> {
                if (isRegex(v)) throw new IllegalArgumentException("a sender entry is an address or a domain, not a /regex/");
                if (v.startsWith("@")) v = v.substring(1);
                int at = v.lastIndexOf('@');
                if (at < 0) yield domain(v);
                if (at == v.length() - 1) {
                    throw new IllegalArgumentException("a sender entry never names a local part alone: " + v);
                }
                yield address(v, at);
            }
            case RECIPIENT -> {
                if (isRegex(v)) yield regex(v);
                int at = v.lastIndexOf('@');
                if (at < 0) yield domain(v);
                if (at == v.length() - 1) yield local(v.substring(0, at)) + "@";
                yield address(v, at);
            }
        };
    }

    static boolean isRegex(String v) {
        return v.length() >= 2 && v.startsWith("/") && v.endsWith("/");
    }

    private static String regex(String v) {
        String body = v.substring(1, v.length() - 1);
        if (body.isEmpty()) throw new IllegalArgumentException("empty regular expression");
        try {
            Pattern.compile(body, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid regular expression: " + e.getDescription(), e);
        }
        return v;
    }

    private static String address(String v, int at) {
        return local(v.substring(0, at)) + "@" + domain(v.substring(at + 1));
    }

    private static String local(String local) {
        if (!LOCAL.matcher(local).matches() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new IllegalArgumentException("not a valid local part: " + local);
        }
        return local.toLowerCase(Locale.ROOT);
    }

    private static String domain(String d) {
        String n = d.toLowerCase(Locale.ROOT);
        if (n.startsWith(".")) n = n.substring(1);
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (n.isEmpty() || n.length() > 253) throw new IllegalArgumentException("not a valid domain: " + d);
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) throw new IllegalArgumentException("a domain needs at least two labels: " + d);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) throw new IllegalArgumentException("not a valid domain: " + d);
        }
        return n;
    }

    private static String cut(String text, int max) {
        String t = text.length() <= max ? text
                : text.substring(0, Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max);
        return t.replace('\0', '\uFFFD');
    }
}
