package greyrelay.admin.web;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads request parameters (query string or form body) with validation: each problem is collected with its field name,
 * so a page can show the form again with the messages next to the fields, and the API can answer 400 with them.
 */
public final class Form {
    /** Longest text any search field takes: addresses are at most 320 characters. */
    public static final int MAX_TEXT = 320;

    private final Function<String, String> source;
    private final Map<String, String> errors = new LinkedHashMap<>();

    private Form(Function<String, String> source) {
        this.source = source;
    }

    public static Form query(Context ctx) {
        return new Form(ctx::queryParam);
    }

    /** Form fields of a POST (urlencoded or multipart); JSON bodies are read by the API handlers themselves. */
    public static Form body(Context ctx) {
        return new Form(ctx::formParam);
    }

    public static Form of(Map<String, String> values) {
        return new Form(values::get);
    }

    /** Fields of a JSON object body ({@code {"name": "…"}}); 400 when the body is not a JSON object. */
    public static Form json(Context ctx) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            String body = ctx.body();
            node = body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new io.javalin.http.BadRequestResponse("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) throw new io.javalin.http.BadRequestResponse("the body must be a JSON object");
        Map<String, String> values = new java.util.HashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isNull()) values.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
        });
        return new Form(values::get);
    }

    /** The raw value, for showing the form again; "" when absent. */
    public String raw(String name) {
        String v = source.apply(name);
        return v == null ? "" : v;
    }

    /** Stripped text, null when blank; an error when longer than {@code max}. */
    public String text(String name, int max) {
        String v = source.apply(name);
        if (v == null || v.isBlank()) return null;
        v = v.strip();
        if (v.length() > max) {
            error(name, "at most " + max + " characters");
            return null;
        }
        return v;
    }

    public String text(String name) {
        return text(name, MAX_TEXT);
    }

    /** A time as {@code 2026-03-01T10:00} (a datetime-local field, read as UTC) or an ISO instant with {@code Z}. */
    public Instant time(String name) {
        String v = text(name, 40);
        if (v == null) return null;
        try {
            if (v.endsWith("Z") || v.endsWith("z")) return Instant.parse(v.toUpperCase(Locale.ROOT));
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            error(name, "a UTC time like 2026-03-01T10:00");
            return null;
        }
    }

    public int integer(String name, int min, int max, int dflt) {
        String v = text(name, 12);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                error(name, "a number from " + min + " to " + max);
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            error(name, "a whole number");
            return dflt;
        }
    }

    /** An enum constant by its name, case-insensitively; null when blank. */
    public <E extends Enum<E>> E choice(String name, Class<E> type) {
        String v = text(name, 40);
        if (v == null) return null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) return e;
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) names.append(names.isEmpty() ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        error(name, "one of " + names);
        return null;
    }

    /** {@code a=1&b=x} for the named fields that have a value, percent-encoded: keeps a search across pages. */
    public String queryString(String... names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            String v = raw(n);
            if (v.isBlank()) continue;
            if (!sb.isEmpty()) sb.append('&');
            sb.append(n).append('=').append(Html.q(v));
        }
        return sb.toString();
    }

    public void error(String field, String message) {
        errors.putIfAbsent(field, message);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public Map<String, String> errors() {
        return Map.copyOf(errors);
    }

    /** The message for a field, or null. */
    public String errorFor(String field) {
        return errors.get(field);
    }
}
