package greyrelay.db.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network: an address with its host bits cleared and a prefix length ({@code 192.0.2.0/24},
 * {@code 2001:db8:1:2::/64}, or a single address at {@code /32} or {@code /128}). The one network type of the
 * project: whitelist entries, greylist and rate-limit client networks, rate-limit override blocks, SPF's
 * {@code ip4:}/{@code ip6:} and the admin dashboard all use it.
 *
 * <p>Text is parsed by hand, never through {@link InetAddress#getByName}, which would ask DNS for anything that is not
 * a literal (and these texts come from SPF records, import files and forms). The accepted forms: a dotted quad of
 * decimal numbers 0-255 without leading zeros ({@code 010} would be 8 to {@code inet_aton}, so it is refused rather
 * than guessed), and RFC 4291 §2.2 IPv6 (1-4 hex digits a group, one {@code ::}, a trailing dotted quad). No zone
 * ids, no brackets. {@link #parse} and {@link #literal} read an IPv4-mapped literal ({@code ::ffff:192.0.2.1}) as the
 * IPv4 address, as {@code InetAddress} does; {@link #ipv6(String, int)} keeps it IPv6 (SPF's {@code ip6:}).
 *
 * <p>Text out ({@link #toString}, {@link #format}) is canonical: dotted quad, or RFC 5952 §4 IPv6 (lower case,
 * leading zeros dropped, the first longest run of two or more zero groups as {@code ::}). Stored keys (greylist
 * client networks, whitelist values, override blocks) are this text, so two spellings of one network are one row.
 *
 * <p>Immutable; {@link #contains} is a few long comparisons and allocates nothing on a byte array.
 */
public final class IpNetwork {
    private static final IpNetwork NAT64 = ipv6("64:ff9b::", 96).orElseThrow();

    private final boolean ipv6;
    /** IPv6: the first 64 bits; IPv4: 0. */
    private final long hi;
    /** IPv6: the last 64 bits; IPv4: the address in the low 32 bits. */
    private final long lo;
    private final int prefix;

    private IpNetwork(boolean ipv6, long hi, long lo, int prefix) {
        int bits = ipv6 ? 128 : 32;
        if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("prefix must be 0-" + bits + ": " + prefix);
        this.ipv6 = ipv6;
        this.prefix = prefix;
        this.hi = hi & hiMask(ipv6, prefix);
        this.lo = lo & loMask(ipv6, prefix);
    }

    /** The network of {@code prefix} bits around {@code address}: "the /24 of 192.0.2.77" is 192.0.2.0/24. */
    public static IpNetwork of(InetAddress address, int prefix) {
        return of(address.getAddress(), prefix);
    }

    /** A single address ({@code /32} or {@code /128}). */
    public static IpNetwork host(InetAddress address) {
        byte[] b = address.getAddress();
        return of(b, b.length * 8);
    }

    private static IpNetwork of(byte[] b, int prefix) {
        if (b.length == 4) return new IpNetwork(false, 0, int32(b) & 0xffffffffL, prefix);
        return new IpNetwork(true, long64(b, 0), long64(b, 8), prefix);
    }

    /**
     * {@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::1}, {@code 2001:DB8::/32}; surrounding white space is
     * ignored. Host bits set under the prefix are cleared ({@code 192.0.2.7/24} is {@code 192.0.2.0/24}); callers
     * that must refuse them compare with {@link #host}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static IpNetwork parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        int slash = t.indexOf('/');
        int end = slash < 0 ? t.length() : slash;
        IpNetwork address = address(t, 0, end);
        if (address == null) throw new IllegalArgumentException("not an IP address: " + t.substring(0, end));
        if (slash < 0) return address;
        int p = prefixDigits(t, slash + 1);
        if (p < 0) throw new IllegalArgumentException("not a prefix length: " + t.substring(slash + 1));
        if (p > address.bits()) throw new IllegalArgumentException("prefix /" + p + " too long for " + t.substring(0, end));
        return new IpNetwork(address.ipv6, address.hi, address.lo, p);
    }

    /**
     * An IP address literal, never a name lookup; an IPv4-mapped IPv6 literal is the IPv4 address.
     *
     * @throws IllegalArgumentException "not an IP address: …"
     */
    public static InetAddress literal(String text) {
        IpNetwork a = address(text, 0, text.length());
        if (a == null) throw new IllegalArgumentException("not an IP address: " + text);
        return a.address();
    }

    /** A strict dotted quad (no prefix in the text) as the network of {@code prefix} bits around it, or empty. */
    public static Optional<IpNetwork> ipv4(String address, int prefix) {
        long v = ipv4(address, 0, address.length());
        return v < 0 || prefix < 0 || prefix > 32 ? Optional.empty() : Optional.of(new IpNetwork(false, 0, v, prefix));
    }

    /**
     * An IPv6 literal (no prefix in the text) as the network of {@code prefix} bits around it, or empty. An
     * IPv4-mapped literal stays IPv6 here.
     */
    public static Optional<IpNetwork> ipv6(String address, int prefix) {
        IpNetwork a = ipv6(address, 0, address.length());
        return a == null || prefix < 0 || prefix > 128 ? Optional.empty() : Optional.of(new IpNetwork(true, a.hi, a.lo, prefix));
    }

    /** Whether {@code address} lies inside; an IPv4 address is never inside an IPv6 network, nor the reverse. */
    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** {@link #contains(InetAddress)} for an address's bytes (4 or 16), without allocating. */
    public boolean contains(byte[] address) {
        if (!ipv6) return address.length == 4 && (int32(address) & loMask(false, prefix)) == lo;
        return address.length == 16 && (long64(address, 0) & hiMask(true, prefix)) == hi
                && (long64(address, 8) & loMask(true, prefix)) == lo;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    public int prefix() {
        return prefix;
    }

    /** Whether this is one address: the prefix is the full length (32 or 128). */
    public boolean isSingleAddress() {
        return prefix == bits();
    }

    /** The network address (host bits zero); an {@link Inet6Address} for every IPv6 network, IPv4-mapped ones too. */
    public InetAddress address() {
        byte[] b;
        if (ipv6) {
            b = new byte[16];
            put(b, 0, hi, 8);
            put(b, 8, lo, 8);
        } else {
            b = new byte[4];
            put(b, 0, lo, 4);
        }
        try {
            return ipv6 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }

    /** Canonical text without the prefix for a single address: {@code 192.0.2.0/24}, {@code 2001:db8::/32}, {@code 192.0.2.7}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(ipv6 ? 44 : 18);
        appendAddress(sb);
        if (!isSingleAddress()) sb.append('/').append(prefix);
        return sb.toString();
    }

    /** Canonical text, always with the prefix: {@code 192.0.2.7/32}, {@code 2001:db8::/32}. */
    public String cidr() {
        StringBuilder sb = new StringBuilder(ipv6 ? 44 : 18);
        appendAddress(sb);
        return sb.append('/').append(prefix).toString();
    }

    /** An address as canonical text: dotted quad, or RFC 5952 (lower case, longest zero run compressed). */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        return of(b, b.length * 8).toString();
    }

    /**
     * The IPv4 address of an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2), else
     * {@code address} unchanged. What SPF does with its client (RFC 7208 §5); the other ways an IPv6 address can
     * carry an IPv4 one are {@link #unwrapIpv4}'s.
     */
    public static InetAddress unmapIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address;
        byte[] b = address.getAddress();
        return isMapped(long64(b, 0), long64(b, 8)) ? ipv4Address(b) : address;
    }

    /**
     * The IPv4 host that a connection to {@code address} reaches: the address itself when it is IPv4, the embedded
     * address of an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}, RFC 4291 §2.5.5.1, but
     * not {@code ::} or {@code ::1}) or NAT64 well-known-prefix ({@code 64:ff9b::a.b.c.d}, RFC 6052) address; empty
     * for any other IPv6 address. A list of networks never to connect to checks both the address and this.
     */
    public static Optional<Inet4Address> unwrapIpv4(InetAddress address) {
        if (address instanceof Inet4Address v4) return Optional.of(v4);
        byte[] b = address.getAddress();
        long h = long64(b, 0);
        long l = long64(b, 8);
        boolean compatible = h == 0 && (l >>> 32) == 0 && (l & 0xffffffffL) > 1;
        if (isMapped(h, l) || compatible || NAT64.contains(b)) return Optional.of(ipv4Address(b));
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpNetwork n && n.ipv6 == ipv6 && n.hi == hi && n.lo == lo && n.prefix == prefix;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo) * 17 + prefix * 2 + (ipv6 ? 1 : 0);
    }

    private int bits() {
        return ipv6 ? 128 : 32;
    }

    private void appendAddress(StringBuilder sb) {
        if (!ipv6) {
            sb.append(lo >>> 24).append('.').append((lo >>> 16) & 0xff).append('.').append((lo >>> 8) & 0xff).append('.')
                    .append(lo & 0xff);
            return;
        }
        // RFC 5952 §4.2: the first longest run of at least two zero groups becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (group(i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && group(j) == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(group(i)));
        }
    }

    /** The {@code i}th 16-bit group of an IPv6 network. */
    private int group(int i) {
        long half = i < 4 ? hi : lo;
        return (int) (half >>> (16 * (3 - (i & 3)))) & 0xffff;
    }

    /** An address of either family in {@code s[from, to)} as a single-address network; IPv4-mapped becomes IPv4. */
    private static IpNetwork address(String s, int from, int to) {
        if (s.indexOf(':', from) < 0 || s.indexOf(':', from) >= to) {
            long v = ipv4(s, from, to);
            return v < 0 ? null : new IpNetwork(false, 0, v, 32);
        }
        IpNetwork a = ipv6(s, from, to);
        if (a != null && isMapped(a.hi, a.lo)) return new IpNetwork(false, 0, a.lo & 0xffffffffL, 32);
        return a;
    }

    /** A strict dotted quad in {@code s[from, to)} as an unsigned number, or -1. */
    private static long ipv4(String s, int from, int to) {
        long v = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || s.charAt(i) != '.') return -1;
                i++;
            }
            int start = i;
            int n = 0;
            while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') n = n * 10 + (s.charAt(i++) - '0');
            int len = i - start;
            if (len == 0 || len > 3 || (len > 1 && s.charAt(start) == '0') || n > 255) return -1;
            v = (v << 8) | n;
        }
        return i == to ? v : -1;
    }

    /** An RFC 4291 §2.2 IPv6 literal in {@code s[from, to)} as a single-address network, or null. */
    private static IpNetwork ipv6(String s, int from, int to) {
        int[] g = new int[8];
        int n = 0;
        int gap = -1; // the number of groups before "::"
        int i = from;
        if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            int end = i;
            boolean dotted = false;
            while (end < to && s.charAt(end) != ':') dotted |= s.charAt(end++) == '.';
            if (dotted) {
                long v = end == to && n <= 6 ? ipv4(s, i, end) : -1;
                if (v < 0) return null;
                g[n++] = (int) (v >>> 16);
                g[n++] = (int) (v & 0xffff);
            } else {
                int v = hexGroup(s, i, end);
                if (v < 0 || n == 8) return null;
                g[n++] = v;
            }
            if (end == to) break;
            i = end + 1; // past ':'
            if (i < to && s.charAt(i) == ':') {
                if (gap >= 0) return null;
                gap = n;
                i++;
            } else if (i == to) {
                return null; // a single trailing ':'
            }
        }
        if (gap < 0 ? n != 8 : n > 7) return null;
        if (gap >= 0) {
            int tail = n - gap;
            System.arraycopy(g, gap, g, 8 - tail, tail);
            for (int k = gap; k < 8 - tail; k++) g[k] = 0;
        }
        long h = 0;
        long l = 0;
        for (int k = 0; k < 4; k++) {
            h = (h << 16) | g[k];
            l = (l << 16) | g[k + 4];
        }
        return new IpNetwork(true, h, l, 128);
    }

    /** 1-4 hex digits in {@code s[from, to)}, or -1. */
    private static int hexGroup(String s, int from, int to) {
        if (to <= from || to - from > 4) return -1;
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0) return -1;
            v = (v << 4) | d;
        }
        return v;
    }

    /** 1-3 ASCII digits from {@code from} to the end, or -1. */
    private static int prefixDigits(String s, int from) {
        int len = s.length() - from;
        if (len < 1 || len > 3) return -1;
        int v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isMapped(long h, long l) {
        return h == 0 && (l >>> 32) == 0xffffL;
    }

    private static Inet4Address ipv4Address(byte[] sixteen) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {sixteen[12], sixteen[13], sixteen[14], sixteen[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 bytes: cannot happen
        }
    }

    private static long hiMask(boolean ipv6, int prefix) {
        if (!ipv6 || prefix == 0) return 0;
        return prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    private static long loMask(boolean ipv6, int prefix) {
        if (!ipv6) return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        if (prefix <= 64) return 0;
        return prefix == 128 ? -1L : -1L << (128 - prefix);
    }

    private static int int32(byte[] b) {
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static long long64(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) v = (v << 8) | (b[i] & 0xff);
        return v;
    }

    private static void put(byte[] b, int from, long v, int count) {
        for (int i = count - 1; i >= 0; i--) {
            b[from + i] = (byte) v;
            v >>>= 8;
        }
    }
}
