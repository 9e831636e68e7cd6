package greyrelay.relay.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one-line meaning and the default of every key, read from README's configuration reference (the build copies
 * README.md into the jar), so the sample configuration and the panel explain a key in the words the reference uses.
 * README stays the one place a key is documented; {@code ConfigLoaderTest} keeps a row there for every key.
 */
public final class KeyDocs {
    static final String RESOURCE = "/greyrelay/relay/config/README.md";

    /** A reference row: the default as written (markdown removed) and the meaning, flattened to plain text. */
    public record KeyDoc(String key, String defaultText, boolean literalDefault, String meaning) {}

    private final Map<String, KeyDoc> rows;

    private KeyDocs(Map<String, KeyDoc> rows) {
        this.rows = rows;
    }

    /** The reference bundled in the jar; empty when the jar was built without it (then keys show without text). */
    public static KeyDocs bundled() {
        try (InputStream in = KeyDocs.class.getResourceAsStream(RESOURCE)) {
            return in == null ? new KeyDocs(Map.of()) : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of the table under {@code ## Configuration reference}: {@code | `key` | default | meaning |}. */
    public static KeyDocs parse(String readme) {
        Map<String, KeyDoc> out = new LinkedHashMap<>();
        boolean inReference = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("## ")) inReference = line.trim().equals("## Configuration reference");
            if (!inReference || !line.startsWith("| `")) continue;
            String[] cells = line.substring(1).split("(?<!\\\\)\\|", -1);
            if (cells.length < 3) continue;
            String key = plain(cells[0]);
            String def = cells[1].trim();
            boolean literal = def.matches("`[^`]*`");
            out.putIfAbsent(key, new KeyDoc(key, plain(def), literal, plain(cells[2])));
        }
        return new KeyDocs(out);
    }

    public Optional<KeyDoc> of(String key) {
        return Optional.ofNullable(rows.get(key));
    }

    /** Markdown to plain text: code spans and links keep their text, escaped pipes become pipes, bold marks go. */
    static String plain(String md) {
        return md.trim()
                .replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replace("\\|", "|")
                .replace("**", "")
                .replace("`", "");
    }
}
