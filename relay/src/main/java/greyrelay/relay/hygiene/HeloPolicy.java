package greyrelay.relay.hygiene;

import greyrelay.relay.config.HostNames;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a HELO/EHLO name says about the client: pure, no DNS. Postfix's {@code reject_invalid_helo_hostname},
 * {@code reject_non_fqdn_helo_hostname} and a "claims to be us" test, in that order.
 *
 * <ul>
 *   <li>An address literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}) is a valid name (RFC 5321 §4.1.3). It
 *       is fine when it is the client's own address, and "ours" when it names one of our addresses; a literal that is
 *       neither is let through, as RFC 5321 §4.1.4 forbids refusing a mismatch.</li>
 *   <li>A bare address ({@code 192.0.2.1}, without brackets) or a name whose last label is numeric is invalid.</li>
 *   <li>A name without a dot ({@code localhost}, {@code EXCH01}) is not fully qualified.</li>
 *   <li>Our own host name ({@code smtp.hostname}) is ours.</li>
 * </ul>
 */
public final class HeloPolicy {
    /** The classes of HELO names. */
    public enum Finding { FINE, INVALID, NOT_FQDN, OURS }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private final String ourHostname;
    private final Set<InetAddress> ourAddresses;

    public HeloPolicy(String ourHostname, Set<InetAddress> ourAddresses) {
        this.ourHostname = strip(ourHostname.toLowerCase(Locale.ROOT));
        this.ourAddresses = Set.copyOf(ourAddresses);
    }

    public Finding classify(String helo, InetAddress client) {
        if (helo.startsWith("[") && helo.endsWith("]") && helo.length() > 2) {
            InetAddress literal = literal(helo.substring(1, helo.length() - 1));
            if (literal == null) return Finding.INVALID;
            if (literal.equals(client)) return Finding.FINE;
            return ourAddresses.contains(literal) ? Finding.OURS : Finding.FINE;
        }
        String name = strip(helo.toLowerCase(Locale.ROOT));
        if (!HostNames.isValid(name) || IPV4.matcher(name).matches() || lastLabelNumeric(name)) return Finding.INVALID;
        if (name.indexOf('.') < 0) return Finding.NOT_FQDN;
        if (name.equals(ourHostname)) return Finding.OURS;
        return Finding.FINE;
    }

    /** The address inside the brackets, or null when it is not a valid literal. Literals only: never a DNS lookup. */
    static InetAddress literal(String inside) {
        String text;
        if (inside.regionMatches(true, 0, "IPv6:", 0, 5)) {
            text = inside.substring(5);
            if (text.indexOf(':') < 0 || !IPV6.matcher(text).matches()) return null;
        } else {
            text = inside;
            if (!IPV4.matcher(text).matches()) return null;
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (text == inside && !(a instanceof Inet4Address)) return null;
            return a;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean lastLabelNumeric(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        return !last.isEmpty() && last.chars().allMatch(Character::isDigit);
    }

    private static String strip(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
