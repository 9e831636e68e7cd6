package greyrelay.admin.settings;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The effective configuration, read-only ({@code /settings}, {@code GET /api/settings}), as the relay passed it: with
 * secrets already masked ({@code ConfigDump.masked}). The panel never sees a secret, so it cannot show one.
 */
public final class SettingsController implements AdminFeature {
    /** One key and its value, as text. */
    public record Setting(String key, String value) {}

    /** The keys of one top-level section ({@code smtp}, {@code queue}, …). */
    public record Section(String name, List<Setting> settings) {}

    private final JsonNode config;
    private final Pages pages;

    public SettingsController(JsonNode config, Pages pages) {
        this.config = config;
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
            Map<String, Object> model = new HashMap<>();
            model.put("page", pages.of(ctx, "Settings", "/settings"));
            model.put("sections", sections(config));
            ctx.render("settings/settings.jte", model);
        });
        r.get("/api/settings", this::api);
    }

    private void api(Context ctx) {
        ctx.json(config);
    }

    /** Top-level scalars first (as section ""), then one section per top-level object, keys in file order. */
    static List<Section> sections(JsonNode root) {
        Map<String, List<Setting>> out = new LinkedHashMap<>();
        out.put("", new ArrayList<>());
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().isObject()) {
                List<Setting> list = new ArrayList<>();
                flatten(e.getKey(), e.getValue(), list);
                out.put(e.getKey(), list);
            } else {
                out.get("").add(new Setting(e.getKey(), text(e.getValue())));
            }
        }
        List<Section> sections = new ArrayList<>();
        out.forEach((name, list) -> {
            if (!list.isEmpty()) sections.add(new Section(name, list));
        });
        return sections;
    }

    /** Nested sections and maps become dotted keys ({@code smtp.tls.certificate}, {@code downstream.routes.example.com}). */
    private static void flatten(String prefix, JsonNode node, List<Setting> out) {
        if (node.isEmpty()) {
            out.add(new Setting(prefix, "{}"));
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            var e = it.next();
            String key = prefix + "." + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key, e.getValue(), out);
            } else {
                out.add(new Setting(key, text(e.getValue())));
            }
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
