package greyrelay.relay.text;

import java.nio.charset.StandardCharsets;

/**
 * Turns text from a stranger (a HELO name, an address, a remote server's reply) into something safe to log, store
 * and show: printable characters only. The one helper for that; every log line that can carry such text passes it
 * through here first, so a client cannot forge log lines (CR, LF), colour or move an operator's terminal (ANSI
 * escapes: ESC and C1 CSI) or reorder what is read (bidi overrides).
 */
public final class SafeText {

    private SafeText() {}

    /** Decodes UTF-8 (malformed sequences become U+FFFD) and replaces control and format characters. */
    public static String fromBytes(byte[] bytes, int offset, int length) {
        return printable(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    /**
     * Replaces every control character (C0, DEL, C1), format character (bidi overrides, zero-width marks) and
     * line/paragraph separator with '?', so a stored line can neither break a log line nor reorder what an
     * operator reads. Everything else printable, including non-ASCII UTF-8, is kept. {@code null} stays null.
     */
    public static String printable(String text) {
        if (text == null || isClean(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isUnsafe(cp)) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean isClean(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnsafe(int cp) {
        if (Character.isISOControl(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE;
    }
}
