package greyrelay.relay.queue;

import greyrelay.relay.address.Mailbox;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A delivery status notification (RFC 3464, multipart/report) telling the sender which recipients failed and why,
 * with the original message's headers (text/rfc822-headers), at most {@link #MAX_HEADER_BYTES} of them: a bounce goes
 * to an address a stranger chose, so it must not carry (or amplify) whatever header section he sent. Pure: bytes in,
 * bytes out.
 */
final class Dsn {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    /** The most of the original header section a DSN returns (Postfix returns headers only, too). */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private Dsn() {}

    static byte[] build(String hostname, String dsnId, Mailbox to, Envelope original, List<RecipientState> failed,
            byte[] originalHeaders, Instant now, ZoneId zone) {
        String boundary = dsnId + "/" + hostname;
        String date = DATE.format(now.atZone(zone));
        StringBuilder sb = new StringBuilder();
        sb.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        sb.append("To: <").append(to.address()).append(">\r\n");
        sb.append("Subject: Undelivered Mail Returned to Sender\r\n");
        sb.append("Date: ").append(date).append("\r\n");
        sb.append("Message-ID: <").append(dsnId).append("@").append(hostname).append(">\r\n");
        sb.append("Auto-Submitted: auto-replied\r\n");
        sb.append("MIME-Version: 1.0\r\n");
        sb.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"").append(boundary).append("\"\r\n");
        sb.append("\r\n");
        sb.append("This is a MIME-encapsulated message.\r\n\r\n");
        sb.append("--").append(boundary).append("\r\n");
        sb.append("Content-Description: Notification\r\n");
        sb.append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        sb.append("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        sb.append("I'm sorry to have to inform you that your message could not\r\n");
        sb.append("be delivered to one or more recipients.\r\n\r\n");
        for (RecipientState r : failed) {
            sb.append("<").append(r.address()).append(">: ").append(oneLine(r.lastReply())).append("\r\n");
        }
        sb.append("\r\n--").append(boundary).append("\r\n");
        sb.append("Content-Description: Delivery report\r\n");
        sb.append("Content-Type: message/delivery-status\r\n\r\n");
        sb.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        sb.append("X-Greyrelay-Queue-ID: ").append(original.id()).append("\r\n");
        sb.append("Arrival-Date: ").append(DATE.format(original.arrival().at().atZone(zone))).append("\r\n");
        for (RecipientState r : failed) {
            sb.append("\r\n");
            sb.append("Final-Recipient: rfc822; ").append(r.address()).append("\r\n");
            sb.append("Action: failed\r\n");
            sb.append("Status: ").append(status(r.lastReply())).append("\r\n");
            String reply = oneLine(r.lastReply());
            if (reply.matches("[2-5]\\d\\d\\b.*")) {
                sb.append("Diagnostic-Code: smtp; ").append(reply).append("\r\n");
            } else {
                sb.append("Diagnostic-Code: X-greyrelay; ").append(reply).append("\r\n");
            }
            if (r.lastAttempt() != null) sb.append("Last-Attempt-Date: ").append(DATE.format(r.lastAttempt().atZone(zone))).append("\r\n");
        }
        sb.append("\r\n--").append(boundary).append("\r\n");
        sb.append("Content-Description: Undelivered Message Headers\r\n");
        sb.append("Content-Type: text/rfc822-headers\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        int headers = headerBytes(originalHeaders);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + headers + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(originalHeaders, 0, out, head.length, headers);
        System.arraycopy(tail, 0, out, head.length + headers, tail.length);
        return out;
    }

    /**
     * How many bytes of the original headers go into the DSN: all when they fit {@link #MAX_HEADER_BYTES}, else up to
     * the end of the last whole line that fits (a line longer than the whole budget is cut at it), so the part ends
     * cleanly rather than inside a line.
     */
    static int headerBytes(byte[] headers) {
        if (headers.length <= MAX_HEADER_BYTES) return headers.length;
        for (int i = MAX_HEADER_BYTES; i > 0; i--) {
            if (headers[i - 1] == '\n') return i;
        }
        return MAX_HEADER_BYTES;
    }

    /** The enhanced status from the downstream's reply when it has one, else the class default (RFC 3463). */
    static String status(String reply) {
        if (reply != null) {
            var m = java.util.regex.Pattern.compile("^[245]\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})").matcher(reply);
            if (m.find()) return m.group(1);
            if (reply.startsWith("4")) return "4.0.0";
        }
        return reply != null && reply.startsWith("5") ? "5.0.0" : "4.4.7";
    }

    private static String oneLine(String s) {
        if (s == null) return "unknown error";
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 900; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return out.toString();
    }
}
