package greyrelay.admin.probes;

/**
 * Makes remote text safe to look at, on top of the templates' HTML escaping: control characters and the Unicode
 * direction overrides (which can make a line read differently from what it is) are shown as {@code \xNN} or
 * {@code \u202E} instead of acting. The relay already stores transcripts as printable text; the rows may come from
 * another node or an older version, so the panel does not rely on it.
 */
final class Visible {
    private Visible() {}

    /** The text with every control and direction character spelled out; "" for null. Newlines too: this is one line. */
    static String line(String s) {
        if (s == null) return "";
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = replacement(c);
            if (replacement != null && out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
            if (out != null) {
                if (replacement != null) out.append(replacement);
                else out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static String replacement(char c) {
        if (c == '\t') return null;
        if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) return String.format("\\x%02X", (int) c);
        boolean direction = c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
        return direction ? String.format("\\u%04X", (int) c) : null;
    }
}
