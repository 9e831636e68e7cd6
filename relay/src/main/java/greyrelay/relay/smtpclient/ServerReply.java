package greyrelay.relay.smtpclient;

import greyrelay.relay.text.SafeText;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One complete SMTP reply: its three-digit code and the text of each line (without code and separator).
 *
 * <p>The lines come from a stranger; the constructor replaces control and format characters, so a
 * {@code ServerReply} is always safe to log, store and show.
 */
public record ServerReply(int code, List<String> lines) {

    /** RFC 3463 enhanced status code at the start of the text: class.subject.detail. */
    private static final Pattern ENHANCED = Pattern.compile("^([245])\\.(\\d{1,3})\\.(\\d{1,3})(?=\\s|$)");

    public ServerReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code must be 200-599, was " + code);
        }
        if (lines == null || lines.isEmpty()) {
            throw new IllegalArgumentException("a reply has at least one line");
        }
        lines = lines.stream().map(SafeText::printable).toList();
    }

    /** A one-line reply. */
    public static ServerReply of(int code, String text) {
        return new ServerReply(code, List.of(text));
    }

    /** The text of all lines joined with a space, without the code. */
    public String text() {
        return String.join(" ", lines);
    }

    public String firstLine() {
        return lines.getFirst();
    }

    /** 2xx: the command was accepted. */
    public boolean isPositive() {
        return code / 100 == 2;
    }

    /** 3xx: go on (354 after DATA). */
    public boolean isIntermediate() {
        return code / 100 == 3;
    }

    /** 4xx: try again later. */
    public boolean isTransient() {
        return code / 100 == 4;
    }

    /** 5xx: do not try again. */
    public boolean isPermanent() {
        return code / 100 == 5;
    }

    /**
     * The enhanced status code ("5.1.1") at the start of the first line, if its class agrees with the reply
     * code as RFC 3463 requires; a stray number that disagrees is ignored rather than trusted.
     */
    public Optional<String> enhancedCode() {
        Matcher m = ENHANCED.matcher(firstLine());
        if (!m.find() || m.group(1).charAt(0) - '0' != code / 100) {
            return Optional.empty();
        }
        return Optional.of(m.group());
    }

    /** "code text", e.g. {@code 250 2.1.5 Ok}. */
    @Override
    public String toString() {
        return code + " " + text();
    }
}
