package greyrelay.relay.smtp;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Our {@code Received:} trace field (RFC 5321 §4.4), folded over lines. The HELO name is the client's text: sanitised. */
final class ReceivedHeader {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    /** The last date written: the sessions of one second share it (formatting one costs more than the rest of the field). */
    private static volatile Dated last = new Dated(null, "");

    private record Dated(ZonedDateTime at, String text) {}

    private ReceivedHeader() {}

    /** {@code at} formatted; the same second in the same zone (and offset) gives the same text. */
    static String date(ZonedDateTime at) {
        ZonedDateTime whole = at.withNano(0);
        Dated d = last;
        if (whole.equals(d.at())) return d.text();
        String text = DATE.format(whole);
        last = new Dated(whole, text);
        return text;
    }

    static String build(String helo, String clientIp, String hostname, String protocol, String queueId, String singleRecipient,
            ZonedDateTime at) {
        StringBuilder sb = new StringBuilder("Received: from ").append(clean(helo == null ? "unknown" : helo))
                .append(" ([").append(clientIp).append("])\r\n\tby ").append(hostname).append(" (greyrelay) with ")
                .append(protocol).append(" id ").append(queueId);
        if (singleRecipient != null) sb.append("\r\n\tfor <").append(clean(singleRecipient)).append(">");
        sb.append("; ").append(date(at));
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
