package greyrelay.relay.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import greyrelay.db.DbSettings;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** {@code greyrelay config}: the effective configuration (like {@code postconf}) and what differs from the defaults ({@code postconf -n}). */
public final class ConfigDump {
    public static final String MASK = DbSettings.MASK;

    private ConfigDump() {}

    /** The effective configuration as YAML, secrets masked. */
    public static String effectiveYaml(RelayConfig config) {
        try {
            return ConfigLoader.yamlMapper().writeValueAsString(masked(config));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The effective configuration as a tree, secrets masked (for the admin panel's settings page). */
    public static ObjectNode masked(RelayConfig config) {
        ObjectNode tree = ConfigLoader.yamlMapper().valueToTree(config);
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            if (k.secret() == null) continue;
            JsonNode v = tree.at(pointer(k.path()));
            if (v.isTextual() && !v.asText().isEmpty()) {
                String[] parts = k.path().split("\\.");
                ObjectNode parent = (ObjectNode) tree.at(pointer(k.path().substring(0, Math.max(0, k.path().lastIndexOf('.')))));
                parent.put(parts[parts.length - 1], k.secret().mask(v.asText()));
            }
        }
        return tree;
    }

    /** A key of the reference with its effective value and default, as {@code greyrelay config} shows them (secrets masked). */
    public record KeyState(String path, String value, String defaultValue, boolean changed) {}

    /** Every key (not the sections), in the reference's order. */
    public static List<KeyState> keyStates(RelayConfig config) {
        JsonNode now = masked(config);
        JsonNode defaults = masked(RelayConfig.defaults());
        List<KeyState> out = new ArrayList<>();
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            if (k.kind() == ConfigSchema.Kind.SECTION) continue;
            JsonNode a = now.at(pointer(k.path()));
            JsonNode d = defaults.at(pointer(k.path()));
            out.add(new KeyState(k.path(), show(a), show(d), !a.equals(d)));
        }
        return out;
    }

    /** One line per key whose value differs from its default: {@code key = value   (default: d, env: NAME)}. */
    public static List<String> nonDefaults(RelayConfig config) {
        return keyStates(config).stream().filter(KeyState::changed)
                .map(k -> k.path() + " = " + k.value() + "   (default: " + k.defaultValue() + ")").toList();
    }

    /** Every key with its environment variable, for documentation and {@code greyrelay config --keys}. */
    public static List<String> keyReference() {
        JsonNode defaults = masked(RelayConfig.defaults());
        List<String> out = new ArrayList<>();
        for (ConfigSchema.Key k : ConfigLoader.schema().keys()) {
            if (k.kind() == ConfigSchema.Kind.SECTION) continue;
            out.add(k.path() + "\t" + k.envName() + "\t" + show(defaults.at(pointer(k.path()))));
        }
        return out;
    }

    /**
     * {@code toString} for a config record holding a {@link Secret}: like the record's own, with each secret component
     * masked as the dumps mask it (nested records print themselves).
     */
    static String describe(Record r) {
        StringJoiner out = new StringJoiner(", ", r.getClass().getSimpleName() + "[", "]");
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object value;
            try {
                value = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            Secret secret = c.getAnnotation(Secret.class);
            out.add(c.getName() + "=" + (secret != null && value instanceof String s ? secret.value().mask(s) : value));
        }
        return out.toString();
    }

    private static String show(JsonNode n) {
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static String pointer(String path) {
        return path.isEmpty() ? "" : "/" + path.replace('.', '/');
    }
}
