package greyrelay.relay.spf;

import greyrelay.db.net.IpNetwork;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * The value of our {@code Received-SPF:} trace field (RFC 7208 §9.1): result, a comment in words, then
 * {@code key=value} pairs. Values are remote text: they are written as dot-atoms only when they are plain, else as
 * quoted strings; comment text has its parentheses and backslashes escaped. One line, no folding.
 */
final class ReceivedSpfHeader {
    private static final Pattern DOT_ATOM =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    /** These two keep the whole line under RFC 5322's 998 characters whatever the client sent. */
    private static final int MAX_VALUE = 128;
    private static final int MAX_COMMENT = 160;

    private ReceivedSpfHeader() {}

    static String value(SpfEvaluation e, InetAddress client, String mailFrom, String helo, String receiver) {
        String ip = IpNetwork.format(IpNetwork.unmapIpv4(client));
        String who = e.sender();
        String words = switch (e.result()) {
            case PASS -> "domain of " + who + " designates " + ip + " as permitted sender";
            case FAIL -> "domain of " + who + " does not designate " + ip + " as permitted sender";
            case SOFTFAIL -> "domain of transitioning " + who + " does not designate " + ip + " as permitted sender";
            case NEUTRAL -> ip + " is neither permitted nor denied by domain of " + who;
            case NONE -> "domain of " + who + " does not designate permitted sender hosts";
            case TEMPERROR -> "error in processing during lookup of " + who;
            case PERMERROR -> "permanent error in processing during lookup of " + who;
        };
        StringBuilder sb = new StringBuilder(e.result().token())
                .append(" (").append(comment(receiver + ": " + words)).append(')')
                .append(" receiver=").append(value(receiver))
                .append("; client-ip=").append(value(ip))
                .append("; envelope-from=").append(quoted(mailFrom))
                .append("; helo=").append(value(helo))
                .append("; identity=").append(e.identity().token());
        e.mechanism().ifPresent(m -> sb.append("; mechanism=").append(value(m)));
        if (e.result() == SpfResult.TEMPERROR || e.result() == SpfResult.PERMERROR) {
            sb.append("; problem=").append(quoted(e.reason()));
        }
        return sb.append(';').toString();
    }

    private static String value(String s) {
        String v = printable(s);
        return v.length() <= MAX_VALUE && DOT_ATOM.matcher(v).matches() ? v : quoted(v);
    }

    /** A quoted-string of at most {@link #MAX_VALUE} characters inside the quotes, escapes included. */
    private static String quoted(String s) {
        return '"' + escaped(printable(s), "\"\\", MAX_VALUE) + '"';
    }

    private static String comment(String s) {
        return escaped(printable(s), "()\\", MAX_COMMENT);
    }

    /** Backslash before each of {@code special}; cut at {@code max} characters without splitting an escape. */
    private static String escaped(String v, String special, int max) {
        StringBuilder sb = new StringBuilder(Math.min(v.length() + 8, max));
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean escape = special.indexOf(c) >= 0;
            if (sb.length() + (escape ? 2 : 1) > max) break;
            if (escape) sb.append('\\');
            sb.append(c);
        }
        return sb.toString();
    }

    /** Printable ASCII only: anything else becomes {@code ?}. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return out.toString();
    }
}
