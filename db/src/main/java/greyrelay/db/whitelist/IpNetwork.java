package greyrelay.db.whitelist;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network: an address with its host bits cleared and a prefix length. Parsing never touches DNS
 * (only literals are accepted), and {@link #toString()} is canonical (RFC 5952 for IPv6, no {@code /32} or
 * {@code /128} for a single address), so two spellings of one network compare equal as text too.
 *
 * <p>Used for whitelist entries and, by the relay, for greylist client networks ({@code 192.0.2.0/24},
 * {@code 2001:db8:1:2::/64}).
 */
public record IpNetwork(InetAddress network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    public IpNetwork {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix must be 0-" + bits + ": " + prefix);
        network = mask(network, prefix);
    }

    /** The network of {@code prefix} bits around {@code address}. */
    public static IpNetwork of(InetAddress address, int prefix) {
        return new IpNetwork(address, prefix);
    }

    /** A single address. */
    public static IpNetwork host(InetAddress address) {
        return new IpNetwork(address, address.getAddress().length * 8);
    }

    /**
     * {@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::1}, {@code 2001:DB8::/32}. Host bits set under the
     * prefix are cleared ({@code 192.0.2.7/24} is {@code 192.0.2.0/24}).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpNetwork parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        InetAddress a = literal(addr);
        if (slash < 0) return host(a);
        String p = t.substring(slash + 1);
        if (!p.matches("[0-9]{1,3}")) throw new IllegalArgumentException("not a prefix length: " + p);
        int prefix = Integer.parseInt(p);
        int bits = a.getAddress().length * 8;
        if (prefix > bits) throw new IllegalArgumentException("prefix /" + prefix + " too long for " + addr);
        return new IpNetwork(a, prefix);
    }

    /** An IP address literal, without any name lookup. */
    public static InetAddress literal(String text) {
        if (IPV4.matcher(text).matches()) {
            String[] parts = text.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) throw new IllegalArgumentException("not an IP address: " + text);
                b[i] = (byte) v;
            }
            return byAddress(b, text);
        }
        // only hex digits, colons and dots, and at least one colon: InetAddress parses it as a literal, no lookup
        if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
            try {
                return InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address: " + text, e);
            }
        }
        throw new IllegalArgumentException("not an IP address: " + text);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) if (a[i] != n[i]) return false;
        int rest = prefix % 8;
        if (rest == 0) return true;
        int m = (0xff << (8 - rest)) & 0xff;
        return (a[full] & m) == (n[full] & 0xff);
    }

    public boolean isIpv6() {
        return network instanceof Inet6Address;
    }

    /** Canonical text: {@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code 192.0.2.7}. */
    @Override
    public String toString() {
        String a = format(network);
        return prefix == network.getAddress().length * 8 ? a : a + "/" + prefix;
    }

    /** An address as canonical text: dotted quad, or RFC 5952 (lower case, longest zero run compressed). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) bestStart = -1; // RFC 5952 §4.2.2: a single zero group is not compressed
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static InetAddress mask(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] = (byte) (b[i] & (0xff << (8 - keep)));
        }
        return byAddress(b, address.getHostAddress());
    }

    private static InetAddress byAddress(byte[] b, String what) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + what, e);
        }
    }
}
