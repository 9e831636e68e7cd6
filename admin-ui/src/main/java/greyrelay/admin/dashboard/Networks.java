package greyrelay.admin.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client network an address belongs to for the dashboard's top list: /24 for IPv4, /64 for IPv6 (as greylisting
 * groups clients). Only literals are parsed: nothing here ever asks DNS.
 */
final class Networks {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private Networks() {}

    static Optional<String> of(String ip) {
        if (ip == null) return Optional.empty();
        var m = IPV4.matcher(ip);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) if (Integer.parseInt(m.group(i)) > 255) return Optional.empty();
            return Optional.of(m.group(1) + "." + m.group(2) + "." + m.group(3) + ".0/24");
        }
        // a ':' cannot occur in a host name, so getByName parses the literal and never resolves
        if (ip.indexOf(':') < 0 || !IPV6_CHARS.matcher(ip).matches()) return Optional.empty();
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length == 4) return Optional.of((b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                if (i > 0) sb.append(':');
                sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
            }
            return Optional.of(sb + "::/64");
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
