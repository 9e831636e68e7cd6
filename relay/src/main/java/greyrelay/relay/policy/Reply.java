package greyrelay.relay.policy;

import greyrelay.relay.text.SafeText;
import java.util.regex.Pattern;

/**
 * An SMTP reply that cannot be illegal: code 200–599, an enhanced status code of the same class
 * (RFC 3463) or none, and one line of text without control characters.
 */
public record Reply(int code, String enhanced, String text) {
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    public Reply {
        if (code < 200 || code > 599) throw new IllegalArgumentException("reply code out of range: " + code);
        if (enhanced != null && !enhanced.isEmpty()) {
            if (!ENHANCED.matcher(enhanced).matches() || enhanced.charAt(0) - '0' != code / 100) {
                throw new IllegalArgumentException("enhanced status " + enhanced + " does not fit code " + code);
            }
        } else {
            enhanced = "";
        }
        if (text == null) text = "";
        text = SafeText.printable(text);
    }

    public boolean isTransient() {
        return code / 100 == 4;
    }

    public boolean isPermanent() {
        return code / 100 == 5;
    }

    /** What follows the code on the wire: {@code "4.7.1 Greylisted, …"}. */
    public String message() {
        return enhanced.isEmpty() ? text : enhanced + " " + text;
    }

    /** The whole reply line without CRLF. */
    public String line() {
        return code + " " + message();
    }

    @Override
    public String toString() {
        return line();
    }
}
