package greyrelay.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The commented configuration file the tarball and the .deb ship ({@code conf/greyrelay.yaml},
 * {@code /etc/greyrelay/greyrelay.yaml}), like Postfix's {@code main.cf}: every key, its meaning from README's
 * reference and its default, commented out, under its section. As shipped it loads to exactly the defaults, so an
 * operator uncomments only what they change. {@code greyrelay config --sample} prints it; the build writes it with
 * {@link #main}.
 */
public final class SampleConfig {
    private static final int WIDTH = 100;
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@+][A-Za-z0-9_./@+-]*");
    private static final Pattern YAML_WORDS = Pattern.compile(
            "(?i)true|false|yes|no|on|off|y|n|null|~|[-+]?[0-9][0-9_.:eE+-]*");

    private SampleConfig() {}

    /** Writes the sample to the path given (the build's {@code prepare-package} step). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, yaml(KeyDocs.bundled()));
    }

    public static String yaml(KeyDocs docs) {
        JsonNode defaults = ConfigDump.masked(RelayConfig.defaults());
        StringBuilder out = new StringBuilder();
        out.append("# greyrelay configuration. Every key is shown with its default, commented out: uncomment and change\n")
           .append("# what you need. Each key can also be set by an environment variable (GREYRELAY_ + the key path,\n")
           .append("# dots and camelCase boundaries as _, upper case). `greyrelay config --config FILE` shows the\n")
           .append("# effective values and what differs from the defaults. Durations: 30s, 5m, 2h, 1d; sizes: 25MB.\n")
           .append("# Set at least smtp.hostname, smtp.relayDomains and downstream.host.\n");
        boolean afterSection = false;
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            int depth = depth(k.path());
            String indent = "  ".repeat(depth);
            String name = k.path().substring(k.path().lastIndexOf('.') + 1);
            if (k.kind() == ConfigSchema.Kind.SECTION) {
                out.append(depth == 0 ? "\n" : "").append(indent).append(name).append(":\n");
                afterSection = true;
                continue;
            }
            var doc = docs.of(k.path());
            if (depth == 0 || !afterSection) out.append('\n');
            afterSection = false;
            doc.ifPresent(d -> wrap(d.meaning(), indent).forEach(l -> out.append(l).append('\n')));
            JsonNode value = defaults.at("/" + k.path().replace('.', '/'));
            if (doc.isPresent() && !doc.get().literalDefault()) {
                out.append(indent).append("# default: ").append(doc.get().defaultText()).append('\n');
                out.append(indent).append("# ").append(name).append(":\n");
            } else {
                out.append(indent).append("# ").append(name).append(": ").append(flow(value)).append('\n');
            }
        }
        return out.toString();
    }

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '.').count();
    }

    private static List<String> wrap(String text, String indent) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && indent.length() + 2 + line.length() + 1 + word.length() > WIDTH) {
                lines.add(indent + "# " + line);
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) lines.add(indent + "# " + line);
        return lines;
    }

    /** A default as YAML flow syntax that reads back to the same value. */
    static String flow(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) return "";
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(e -> items.add(flow(e)));
            return "[" + String.join(", ", items) + "]";
        }
        if (v.isObject()) {
            List<String> items = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                items.add(scalar(e.getKey()) + ": " + flow(e.getValue()));
            }
            return "{" + String.join(", ", items) + "}";
        }
        if (v.isNumber() || v.isBoolean()) return v.asText();
        return scalar(v.asText());
    }

    private static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !YAML_WORDS.matcher(s).matches() && !s.contains(": ")) return s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
