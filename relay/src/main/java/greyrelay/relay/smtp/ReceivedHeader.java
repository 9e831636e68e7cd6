package greyrelay.relay.smtp;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Our {@code Received:} trace field (RFC 5321 §4.4), folded over lines. The HELO name is the client's text: sanitised. */
final class ReceivedHeader {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private ReceivedHeader() {}

    static String build(String helo, String clientIp, String hostname, String protocol, String queueId, String singleRecipient,
            ZonedDateTime at) {
        StringBuilder sb = new StringBuilder("Received: from ").append(clean(helo == null ? "unknown" : helo))
                .append(" ([").append(clientIp).append("])\r\n\tby ").append(hostname).append(" (greyrelay) with ")
                .append(protocol).append(" id ").append(queueId);
        if (singleRecipient != null) sb.append("\r\n\tfor <").append(clean(singleRecipient)).append(">");
        sb.append("; ").append(DATE.format(at));
        return sb.toString();
    }

    static String clean(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 255));
        for (int i = 0; i < s.length() && i < 255; i++) {
            char c = s.charAt(i);
            out.append(c < 0x21 || c > 0x7e || c == '(' || c == ')' ? '?' : c);
        }
        return out.toString();
    }
}
