package greyrelay.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which keys {@code greyrelay reload} (SIGHUP) applies to a running relay, and what a new configuration changes. The
 * one list: the relay applies exactly these, README's reference marks exactly these "(reloadable)"
 * ({@code ReloadTest} checks both), and every other changed key is named in the log as needing a restart.
 */
public final class Reloadable {
    /** Applied without dropping a connection. */
    public static final Set<String> KEYS = Set.of(
            "logging.level", "logging.format",
            "smtp.tls.certificate", "smtp.tls.key",
            "greylist.whitelistFiles", "greylist.defaultWhitelist");

    private Reloadable() {}

    /** The keys whose values differ between two configurations, in the reference's order. */
    public static List<String> changed(RelayConfig before, RelayConfig after) {
        JsonNode a = ConfigLoader.yamlMapper().valueToTree(before);
        JsonNode b = ConfigLoader.yamlMapper().valueToTree(after);
        List<String> out = new ArrayList<>();
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            if (k.kind() == ConfigSchema.Kind.SECTION) continue;
            String pointer = "/" + k.path().replace('.', '/');
            if (!a.at(pointer).equals(b.at(pointer))) out.add(k.path());
        }
        return out;
    }

    /** {@code before} with the values of {@code keys} taken from {@code after}: what the relay runs with after a reload. */
    public static RelayConfig applied(RelayConfig before, RelayConfig after, Set<String> keys) {
        ObjectNode tree = ConfigLoader.yamlMapper().valueToTree(before);
        JsonNode from = ConfigLoader.yamlMapper().valueToTree(after);
        for (String key : keys) {
            String[] parts = key.split("\\.");
            ObjectNode parent = tree;
            JsonNode source = from;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = (ObjectNode) parent.get(parts[i]);
                source = source.get(parts[i]);
            }
            parent.set(parts[parts.length - 1], source.get(parts[parts.length - 1]));
        }
        try {
            return ConfigLoader.yamlMapper().treeToValue(tree, RelayConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
