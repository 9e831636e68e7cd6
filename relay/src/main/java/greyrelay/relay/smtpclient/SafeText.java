package greyrelay.relay.smtpclient;

import java.nio.charset.StandardCharsets;

/** Turns text from a stranger into something safe to store, log and show: printable characters only. */
final class SafeText {

    private SafeText() {}

    /** Decodes UTF-8 (malformed sequences become U+FFFD) and replaces control and format characters. */
    static String fromBytes(byte[] bytes, int offset, int length) {
        return printable(new String(bytes, offset, length, StandardCharsets.UTF_8));
    }

    /**
     * Replaces every control character (C0, DEL, C1), format character (bidi overrides, zero-width marks) and
     * line/paragraph separator with '?', so a stored line can neither break a log line nor reorder what an
     * operator reads. Everything else printable, including non-ASCII UTF-8, is kept.
     */
    static String printable(String text) {
        if (isClean(text)) {
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
