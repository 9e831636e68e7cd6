package greyrelay.admin.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formatting helpers for templates. They never produce markup: jte escapes whatever they return, so remote text
 * stays text.
 */
public final class Html {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    // our own 250 reply names the queue id as Postfix does ("2.0.0 Ok: queued as 0MH2X5K3A7Q9ZP"); ids are 8 to 24 of [0-9A-Z]
    private static final java.util.regex.Pattern QUEUED_AS = java.util.regex.Pattern.compile("(?<=queued as )[0-9A-Z]{8,24}\\b");

    private Html() {}

    /** A piece of a reply text: plain text, or a queue id ({@code queueId} set) that a page may link to its message. */
    public record ReplyPart(String text, String queueId) {}

    /** The reply split around the queue ids it names after "queued as "; one plain part when there is none. */
    public static java.util.List<ReplyPart> replyParts(String reply) {
        if (reply == null) return java.util.List.of();
        java.util.List<ReplyPart> parts = new java.util.ArrayList<>();
        java.util.regex.Matcher m = QUEUED_AS.matcher(reply);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) parts.add(new ReplyPart(reply.substring(at, m.start()), null));
            parts.add(new ReplyPart(m.group(), m.group()));
            at = m.end();
        }
        if (at < reply.length()) parts.add(new ReplyPart(reply.substring(at), null));
        return parts;
    }

    /** {@code 2026-03-01 10:00:05} (UTC), "–" for none. */
    public static Timestamp time(Instant t) {
        // the one way templates show a time: a <time datetime> element there, which app.js shows in the browser's zone
        // for a user who chose local time; as a string, the plain text (in an attribute write Html.time(t).toString(),
        // or jte would put the element itself there)
        return new Timestamp(t);
    }

    /** The value of a {@code datetime-local} input (UTC minutes). */
    public static String inputTime(Instant t) {
        return t == null ? "" : INPUT.format(t);
    }

    /** A compact age or delay: {@code 45s}, {@code 12m}, {@code 3h 5m}, {@code 2d 4h}. */
    public static String duration(Duration d) {
        if (d == null) return "–";
        long s = Math.abs(d.toSeconds());
        String sign = d.isNegative() ? "-" : "";
        if (s < 60) return sign + s + "s";
        if (s < 3600) return sign + (s / 60) + "m";
        if (s < 86_400) return sign + (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + "m");
        return sign + (s / 86_400) + "d" + (s % 86_400 / 3600 == 0 ? "" : " " + (s % 86_400 / 3600) + "h");
    }

    /** Bytes as {@code 512 B}, {@code 12.3 KB}, {@code 4.0 MB}. */
    public static String size(long bytes) {
        if (bytes < 1024) return bytes + " B";
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }

    /** At most {@code max} characters, with an ellipsis when cut; "" for null. */
    public static String cut(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : s.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** "" for null, else the text (the template escapes it). */
    public static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    /** A query-string value, percent-encoded. */
    public static String q(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code 2026-03-01 10:00:05}: a time's text in UTC, for {@link Timestamp}. */
    static String utcText(Instant t) {
        return TIME.format(t);
    }

    /** Lower-case CSS class fragment for an enum-like value ({@code DEFERRED} → {@code deferred}). */
    public static String css(Object o) {
        return o == null ? "" : o.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    }
}
