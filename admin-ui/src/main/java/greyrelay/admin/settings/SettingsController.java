package greyrelay.admin.settings;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.AdminFeature;
import greyrelay.admin.ConfigKey;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration, read-only ({@code /settings}, {@code GET /api/settings}), as the relay passed it: with
 * secrets already masked ({@code ConfigDump.masked}). The panel never sees a secret, so it cannot show one. Each key
 * shows its default, its description and whether a reload applies it, from the {@link ConfigKey}s the relay passed.
 */
public final class SettingsController implements AdminFeature {
    /**
     * One key and its value, as text, with what the relay told about it.
     *
     * @param doc empty for keys the relay described nothing about (the {@code pipeline} section, a panel built without keys)
     */
    public record Setting(String key, String value, Optional<ConfigKey> doc) {
        public boolean changed() {
            return doc.map(ConfigKey::changed).orElse(false);
        }

        public boolean reloadable() {
            return doc.map(ConfigKey::reloadable).orElse(false);
        }

        /** The default as shown: {@code ""} as two quotes, like an empty value. */
        public String defaultValue() {
            return doc.map(d -> d.defaultValue().isEmpty() ? "\"\"" : d.defaultValue()).orElse("");
        }

        public String meaning() {
            return doc.map(ConfigKey::meaning).orElse("");
        }
    }

    /** The keys of one top-level section ({@code smtp}, {@code queue}, …), those differing from the default first. */
    public record Section(String name, List<Setting> settings) {
        public String title() {
            return name.isEmpty() ? "general" : name;
        }

        public long changedCount() {
            return settings.stream().filter(Setting::changed).count();
        }
    }

    private final JsonNode config;
    private final Map<String, ConfigKey> keys;
    private final Pages pages;

    public SettingsController(JsonNode config, List<ConfigKey> keys, Pages pages) {
        this.config = config;
        Map<String, ConfigKey> byKey = new HashMap<>();
        keys.forEach(k -> byKey.put(k.key(), k));
        this.keys = Map.copyOf(byKey);
        this.pages = pages;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Settings", "/settings", 100));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/settings.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/settings", ctx -> {
            List<Section> sections = sections(config, keys);
            Map<String, Object> model = new HashMap<>();
            model.put("page", pages.of(ctx, "Settings", "/settings"));
            model.put("sections", sections);
            model.put("changed", sections.stream().flatMap(s -> s.settings().stream()).filter(Setting::changed).toList());
            model.put("described", !keys.isEmpty());
            ctx.render("settings/settings.jte", model);
        });
        r.get("/api/settings", this::api);
    }

    private void api(Context ctx) {
        ctx.json(config);
    }

    /**
     * Top-level scalars first (as section ""), then one section per top-level object; within a section the keys that
     * differ from their default first, otherwise in file order.
     */
    static List<Section> sections(JsonNode root, Map<String, ConfigKey> keys) {
        Map<String, List<Setting>> out = new LinkedHashMap<>();
        out.put("", new ArrayList<>());
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().isObject()) {
                List<Setting> list = new ArrayList<>();
                flatten(e.getKey(), e.getValue(), keys, list);
                out.put(e.getKey(), list);
            } else {
                out.get("").add(setting(e.getKey(), e.getValue(), keys));
            }
        }
        List<Section> sections = new ArrayList<>();
        out.forEach((name, list) -> {
            if (!list.isEmpty()) {
                list.sort(Comparator.comparing((Setting s) -> !s.changed())); // stable: file order within each group
                sections.add(new Section(name, List.copyOf(list)));
            }
        });
        return sections;
    }

    /** Nested sections and maps become dotted keys ({@code smtp.tls.certificate}, {@code downstream.routes.example.com}). */
    private static void flatten(String prefix, JsonNode node, Map<String, ConfigKey> keys, List<Setting> out) {
        if (node.isEmpty()) {
            out.add(setting(prefix, node, keys));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = prefix + "." + e.getKey();
            if (e.getValue().isObject() && !keys.containsKey(key)) {
                flatten(key, e.getValue(), keys, out);
            } else if (e.getValue().isObject()) {
                // a map-valued key (downstream.routes): one row per entry, each described by the map's key
                if (e.getValue().isEmpty()) out.add(setting(key, e.getValue(), keys));
                e.getValue().fields().forEachRemaining(m -> out.add(setting(key + "." + m.getKey(), m.getValue(), keys)));
            } else {
                out.add(setting(key, e.getValue(), keys));
            }
        }
    }

    private static Setting setting(String key, JsonNode value, Map<String, ConfigKey> keys) {
        return new Setting(key, text(value), describe(key, keys));
    }

    /** The key's own description, else that of the nearest enclosing key (a map's entries). */
    private static Optional<ConfigKey> describe(String key, Map<String, ConfigKey> keys) {
        for (String k = key; ; k = k.substring(0, k.lastIndexOf('.'))) {
            ConfigKey doc = keys.get(k);
            if (doc != null) return Optional.of(doc);
            if (k.indexOf('.') < 0) return Optional.empty();
        }
    }

    static String text(JsonNode v) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v.isObject()) return v.toString();
        if (v.isNull()) return "";
        return v.isTextual() && v.asText().isEmpty() ? "\"\"" : v.asText();
    }
}
