package greyrelay.relay.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed RFC 7208 §7 macro-string: literals and {@code %{...}} macros with their transformers (a right-hand part
 * count and {@code r} for reversal) and delimiters; {@code %%}, {@code %_} and {@code %-} are escapes. An upper-case
 * macro letter URL-escapes its expansion (§7.3). Parsing is strict: any syntax error makes the whole string invalid,
 * which the caller turns into {@code permerror} (or, for explanation text, into "no explanation").
 */
final class MacroString {

    /** Which grammar: a domain-spec, an unknown modifier's value, or explanation text. */
    enum Kind {
        /** domain-spec: macro-literals only; {@code c}, {@code r}, {@code t} are refused (§7.1). */
        DOMAIN(false, false),
        /** An unknown modifier's macro-string: never expanded, only syntax-checked. */
        MODIFIER(false, true),
        /** explanation-string: spaces allowed, and every macro letter. */
        EXPLANATION(true, true);

        final boolean spaces;
        final boolean explanationLetters;

        Kind(boolean spaces, boolean explanationLetters) {
            this.spaces = spaces;
            this.explanationLetters = explanationLetters;
        }
    }

    /** Where macro values come from; {@code letter} is lower case. */
    interface Values {
        String value(char letter);
    }

    sealed interface Token {}

    /** Literal text; {@code escape} when it came from {@code %%}, {@code %_} or {@code %-} (a macro-expand in the ABNF). */
    record Literal(String text, boolean escape) implements Token {}

    /**
     * {@code %{letter keep r delimiters}}.
     *
     * @param keep right-hand parts to keep, 0 for all
     */
    record Macro(char letter, boolean upper, int keep, boolean reverse, String delimiters) implements Token {}

    /** The largest part count worth keeping: a name has at most 127 labels. */
    private static final int MAX_KEEP = 128;
    private static final String LETTERS = "slodiphcrtv";
    private static final String EXPLANATION_ONLY = "crt";
    private static final String DELIMITERS = ".-+,/_=";

    private final String text;
    private final List<Token> tokens;

    private MacroString(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = List.copyOf(tokens);
    }

    /** The text as written. */
    String text() {
        return text;
    }

    List<Token> tokens() {
        return tokens;
    }

    boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** True when the string ends in a macro-expand (a macro or an escape), which may end a domain-spec (§7.1). */
    boolean endsWithMacro() {
        if (tokens.isEmpty()) return false;
        Token last = tokens.get(tokens.size() - 1);
        return last instanceof Macro || last instanceof Literal l && l.escape();
    }

    static Optional<MacroString> parse(String text, Kind kind) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                boolean ok = (c >= 0x21 && c <= 0x7e) || (c == ' ' && kind.spaces);
                if (!ok) return Optional.empty();
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) return Optional.empty(); // a lone % at the end
            char next = text.charAt(i + 1);
            String escaped = switch (next) {
                case '%' -> "%";
                case '_' -> " ";
                case '-' -> "%20";
                default -> null;
            };
            if (escaped != null) {
                flush(literal, tokens);
                tokens.add(new Literal(escaped, true));
                i += 2;
                continue;
            }
            if (next != '{') return Optional.empty();
            int close = text.indexOf('}', i + 2);
            if (close < 0) return Optional.empty();
            Optional<Macro> macro = macro(text.substring(i + 2, close), kind);
            if (macro.isEmpty()) return Optional.empty();
            flush(literal, tokens);
            tokens.add(macro.get());
            i = close + 1;
        }
        flush(literal, tokens);
        return Optional.of(new MacroString(text, tokens));
    }

    private static void flush(StringBuilder literal, List<Token> tokens) {
        if (!literal.isEmpty()) {
            tokens.add(new Literal(literal.toString(), false));
            literal.setLength(0);
        }
    }

    /** macro-letter transformers *delimiter: the inside of {@code %{...}}. */
    private static Optional<Macro> macro(String body, Kind kind) {
        if (body.isEmpty()) return Optional.empty();
        char raw = body.charAt(0);
        char letter = Character.toLowerCase(raw);
        if (LETTERS.indexOf(letter) < 0 || raw > 0x7e) return Optional.empty();
        if (EXPLANATION_ONLY.indexOf(letter) >= 0 && !kind.explanationLetters) return Optional.empty();
        int i = 1;
        int keep = 0;
        boolean digits = false;
        while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            keep = Math.min(MAX_KEEP + 1, keep * 10 + (body.charAt(i) - '0'));
            digits = true;
            i++;
        }
        if (digits && keep == 0) return Optional.empty(); // §7.3: the part count must be nonzero
        boolean reverse = false;
        if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
            reverse = true;
            i++;
        }
        String delimiters = body.substring(i);
        for (int j = 0; j < delimiters.length(); j++) {
            if (DELIMITERS.indexOf(delimiters.charAt(j)) < 0) return Optional.empty();
        }
        return Optional.of(new Macro(letter, Character.isUpperCase(raw), Math.min(keep, MAX_KEEP), reverse, delimiters));
    }

    /** The expansion; values come from {@code values}, asked only for letters that occur. */
    String expand(Values values) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            switch (t) {
                case Literal l -> out.append(l.text());
                case Macro m -> out.append(expand(m, values.value(m.letter())));
            }
        }
        return out.toString();
    }

    private static String expand(Macro m, String value) {
        String delimiters = m.delimiters().isEmpty() ? "." : m.delimiters();
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (delimiters.indexOf(value.charAt(i)) >= 0) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        if (m.reverse()) Collections.reverse(parts);
        if (m.keep() > 0 && m.keep() < parts.size()) parts = parts.subList(parts.size() - m.keep(), parts.size());
        String joined = String.join(".", parts);
        return m.upper() ? urlEscape(joined) : joined;
    }

    /** §7.3: everything outside RFC 3986 unreserved is %-escaped, as UTF-8 octets. */
    static String urlEscape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int v = b & 0xff;
            boolean unreserved = (v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') || (v >= '0' && v <= '9')
                    || v == '-' || v == '.' || v == '_' || v == '~';
            if (unreserved) {
                out.append((char) v);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
