package greyrelay.relay.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP literals as SPF writes them, parsed by hand: {@code InetAddress.getByName} would fall back to a DNS lookup for
 * anything that is not a literal, and SPF text is remote data. Also the text forms the macros need.
 */
final class IpAddresses {
    /** RFC 7208 qnum: 0-255 without leading zeros. */
    private static final String QNUM = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private static final Pattern IP4 = Pattern.compile(QNUM + "(?:\\." + QNUM + "){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IpAddresses() {}

    /** A strict dotted quad (RFC 7208 ip4-network), or empty. */
    static Optional<byte[]> parseIp4(String s) {
        if (s == null || !IP4.matcher(s).matches()) return Optional.empty();
        String[] parts = s.split("\\.");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) out[i] = (byte) Integer.parseInt(parts[i]);
        return Optional.of(out);
    }

    /** An IPv6 literal in any RFC 4291 text form ({@code ::}, a trailing dotted quad), or empty. */
    static Optional<byte[]> parseIp6(String s) {
        if (s == null || s.isEmpty()) return Optional.empty();
        int gap = s.indexOf("::");
        List<Integer> groups;
        if (gap < 0) {
            groups = groups(s, true);
            if (groups == null || groups.size() != 8) return Optional.empty();
        } else {
            if (s.indexOf("::", gap + 1) >= 0) return Optional.empty();
            List<Integer> head = gap == 0 ? List.of() : groups(s.substring(0, gap), false);
            List<Integer> tail = gap + 2 == s.length() ? List.of() : groups(s.substring(gap + 2), true);
            if (head == null || tail == null || head.size() + tail.size() > 7) return Optional.empty();
            groups = new ArrayList<>(head);
            for (int i = head.size() + tail.size(); i < 8; i++) groups.add(0);
            groups.addAll(tail);
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (groups.get(i) >> 8);
            out[2 * i + 1] = (byte) (int) groups.get(i);
        }
        return Optional.of(out);
    }

    /** Colon-separated 16-bit groups; the last may be a dotted quad (two groups) when {@code ip4Last}. Null if bad. */
    private static List<Integer> groups(String part, boolean ip4Last) {
        String[] texts = part.split(":", -1);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            String g = texts[i];
            if (ip4Last && i == texts.length - 1 && g.contains(".")) {
                Optional<byte[]> v4 = parseIp4(g);
                if (v4.isEmpty()) return null;
                out.add(((v4.get()[0] & 0xff) << 8) | (v4.get()[1] & 0xff));
                out.add(((v4.get()[2] & 0xff) << 8) | (v4.get()[3] & 0xff));
            } else if (HEX_GROUP.matcher(g).matches()) {
                out.add(Integer.parseInt(g, 16));
            } else {
                return null;
            }
        }
        return out;
    }

    /** An IPv4 or IPv6 literal as an address (IPv4-mapped IPv6 comes back as IPv4), never via DNS. */
    static Optional<InetAddress> parse(String literal) {
        Optional<byte[]> bytes = parseIp4(literal).or(() -> parseIp6(literal));
        if (bytes.isEmpty()) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByAddress(bytes.get()));
        } catch (UnknownHostException e) {
            return Optional.empty(); // only for a wrong length, which cannot happen here
        }
    }

    /** RFC 7208 §5 (and 4291 §2.5.5.2): an IPv4-mapped IPv6 client is an IPv4 client. */
    static InetAddress normalise(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return a;
    }

    /** True when the first {@code prefix} bits of {@code address} and {@code network} agree (same length). */
    static boolean inNetwork(byte[] address, byte[] network, int prefix) {
        if (address.length != network.length) return false;
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) return false;
        }
        int rest = prefix % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    /** The {@code i} macro: dotted quad, or 32 dot-separated upper-case nibbles (RFC 7208 §7.3). */
    static String macroForm(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return dotted(b);
        StringBuilder sb = new StringBuilder(63);
        for (byte x : b) {
            if (!sb.isEmpty()) sb.append('.');
            sb.append(HEX[(x >> 4) & 0xf]).append('.').append(HEX[x & 0xf]);
        }
        return sb.toString();
    }

    /** The {@code c} macro and headers: dotted quad, or RFC 5952 (lower case, longest zero run as {@code ::}). */
    static String readable(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return dotted(b);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not shortened (RFC 5952 §4.2.2)
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
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static String dotted(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
}
