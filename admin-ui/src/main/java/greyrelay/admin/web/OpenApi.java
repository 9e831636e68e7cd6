package greyrelay.admin.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3 description of the JSON API, written by hand (the Javalin OpenAPI plugin is not published for
 * Javalin 7): {@code openapi/base.json} (info, security, shared schemas, the API's own routes) plus one fragment per
 * feature ({@code openapi/<feature>.json}, with {@code paths} and optionally {@code components.schemas}), merged when
 * the app is built. Only the fragments of features that are present are merged, so a standalone panel (no queue)
 * describes no queue routes. A test compares the document with the registered routes.
 */
public final class OpenApi {
    public static final String BASE = "openapi/base.json";

    private OpenApi() {}

    public static ObjectNode build(String version, List<String> fragments) {
        ObjectNode doc = (ObjectNode) read(BASE);
        ((ObjectNode) doc.with("info")).put("version", version);
        ObjectNode paths = doc.withObject("/paths");
        ObjectNode schemas = doc.withObject("/components").withObject("/schemas");
        for (String resource : fragments) {
            JsonNode f = read(resource);
            merge(paths, f.path("paths"), resource);
            merge(schemas, f.path("components").path("schemas"), resource);
        }
        return doc;
    }

    private static void merge(ObjectNode into, JsonNode from, String resource) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (into.has(e.getKey())) throw new IllegalStateException(resource + " redefines " + e.getKey());
            into.set(e.getKey(), e.getValue());
        }
    }

    private static JsonNode read(String resource) {
        try (InputStream in = OpenApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("OpenAPI fragment " + resource + " is not on the classpath");
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("OpenAPI fragment " + resource + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
