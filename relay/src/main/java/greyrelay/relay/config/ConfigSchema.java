package greyrelay.relay.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the configuration, read off the record tree: every key path, its kind, its environment
 * variable and whether it is secret. One source for unknown-key detection, environment overrides and dumps.
 */
final class ConfigSchema {
    enum Kind { SECTION, SCALAR, LIST, MAP }

    /** @param secret how a dump shows the value: null when it is not secret */
    record Key(String path, Kind kind, Class<?> type, Secret.Part secret) {
        String envName() {
            return ConfigSchema.envName(path);
        }
    }

    private final Map<String, Key> keys = new LinkedHashMap<>();

    ConfigSchema(Class<? extends Record> root) {
        walk("", root);
    }

    private void walk(String prefix, Class<?> type) {
        for (RecordComponent c : type.getRecordComponents()) {
            String path = prefix.isEmpty() ? c.getName() : prefix + "." + c.getName();
            Class<?> t = c.getType();
            Secret.Part secret = c.isAnnotationPresent(Secret.class) ? c.getAnnotation(Secret.class).value() : null;
            if (t.isRecord() && t != DataSize.class) {
                keys.put(path, new Key(path, Kind.SECTION, t, null));
                walk(path, t);
            } else if (List.class.isAssignableFrom(t)) {
                keys.put(path, new Key(path, Kind.LIST, elementType(c.getGenericType()), secret));
            } else if (Map.class.isAssignableFrom(t)) {
                keys.put(path, new Key(path, Kind.MAP, String.class, secret));
            } else {
                keys.put(path, new Key(path, Kind.SCALAR, t, secret));
            }
        }
    }

    private static Class<?> elementType(Type generic) {
        if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) return c;
        return String.class;
    }

    Key key(String path) {
        return keys.get(path);
    }

    List<Key> keys() {
        return List.copyOf(keys.values());
    }

    /** Keys directly under a section ("" = top level). */
    List<String> childNames(String section) {
        List<String> out = new ArrayList<>();
        String prefix = section.isEmpty() ? "" : section + ".";
        for (String p : keys.keySet()) {
            if (p.startsWith(prefix) && p.indexOf('.', prefix.length()) < 0) out.add(p.substring(prefix.length()));
        }
        return out;
    }

    /** {@code smtp.relayDomains} → {@code GREYRELAY_SMTP_RELAY_DOMAINS}. */
    static String envName(String path) {
        StringBuilder out = new StringBuilder("GREYRELAY_");
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch == '.') {
                out.append('_');
            } else if (Character.isUpperCase(ch)) {
                out.append('_').append(ch);
            } else {
                out.append(Character.toUpperCase(ch));
            }
        }
        return out.toString();
    }

    /** Words an operator understands for what a key of this type takes. */
    static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class) return "a whole number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == Duration.class) return "a duration like 30s, 5m, 2d";
        if (type == DataSize.class) return "a size like 25MB";
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object o : type.getEnumConstants()) names.add(((Enum<?>) o).name().toLowerCase(java.util.Locale.ROOT));
            return "one of " + String.join(", ", names);
        }
        if (type == String.class) return "text";
        return type.getSimpleName();
    }
}
