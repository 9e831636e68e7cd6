package greyrelay.relay.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link RelayConfig}: defaults, then the YAML file, then {@code GREYRELAY_*} environment variables.
 * Any problem becomes one {@link ConfigException} naming the key and what was expected.
 */
public final class ConfigLoader {
    /** Environment variables of ours that are not configuration keys. */
    public static final Set<String> RESERVED_ENV = Set.of("GREYRELAY_CONFIG", "GREYRELAY_HOME", "GREYRELAY_JAVA_OPTS");

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);
    private static final String FILE_SUFFIX = "_FILE";
    /** Kubernetes' service links for a Service named greyrelay: {@code GREYRELAY_SERVICE_HOST}, {@code GREYRELAY_PORT_2525_TCP_ADDR}, … */
    private static final Pattern KUBERNETES_SERVICE_LINK = Pattern.compile(
            "GREYRELAY_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT|PORT_[0-9]+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)");
    private static final AtomicBoolean LOGGED_SERVICE_LINKS = new AtomicBoolean();
    private static final ConfigSchema SCHEMA = new ConfigSchema(RelayConfig.class);
    private static final ObjectMapper YAML = mapper();

    private ConfigLoader() {}

    /**
     * The configuration a command runs with: the file given (its {@code --config}, may be null), else the one
     * {@code $GREYRELAY_CONFIG} names, else none; then the {@code GREYRELAY_*} variables of {@code env} over it.
     */
    public static RelayConfig fromEnvironment(Path file, Map<String, String> env) {
        String named = env.get("GREYRELAY_CONFIG");
        Optional<Path> chosen = file != null ? Optional.of(file)
                : named == null || named.isBlank() ? Optional.empty() : Optional.of(Path.of(named));
        return load(chosen, env);
    }

    /** Defaults, then the file when given, then the {@code GREYRELAY_*} variables of {@code env}. */
    public static RelayConfig load(Optional<Path> file, Map<String, String> env) {
        ObjectNode tree = (ObjectNode) YAML.valueToTree(RelayConfig.defaults());
        if (file.isPresent()) merge(tree, readFile(file.get()), "");
        applyEnvironment(tree, env);
        return bind(tree);
    }

    /** Loads from an in-memory YAML text (tests, {@code greyrelay demo}). */
    public static RelayConfig fromYaml(String yaml, Map<String, String> env) {
        return fromYamlLayers(java.util.List.of(yaml), env);
    }

    /** Several YAML texts, each merged over the previous one, then the environment. */
    public static RelayConfig fromYamlLayers(java.util.List<String> layers, Map<String, String> env) {
        ObjectNode tree = (ObjectNode) YAML.valueToTree(RelayConfig.defaults());
        for (String yaml : layers) merge(tree, parse(yaml, "configuration"), "");
        applyEnvironment(tree, env);
        return bind(tree);
    }

    static ObjectMapper yamlMapper() {
        return YAML;
    }

    static ConfigSchema schema() {
        return SCHEMA;
    }

    private static JsonNode readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + ": not found");
        } catch (IOException e) {
            throw new ConfigException("configuration file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        return parse(text, "configuration file " + file);
    }

    private static JsonNode parse(String text, String what) {
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) return JsonNodeFactory.instance.objectNode();
            if (!node.isObject()) throw new ConfigException(what + ": expected a YAML mapping of keys at the top level");
            return node;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new ConfigException(what + ": not valid YAML" + where + " (" + e.getOriginalMessage() + ")");
        }
    }

    /** Deep merge: sections recurse, everything else is replaced. Unknown keys are refused here. */
    private static void merge(ObjectNode target, JsonNode source, String section) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            var e = it.next();
            String path = section.isEmpty() ? e.getKey() : section + "." + e.getKey();
            ConfigSchema.Key key = SCHEMA.key(path);
            if (key == null) {
                throw new ConfigException("unknown key " + path + " (known keys" + (section.isEmpty() ? "" : " in " + section)
                        + ": " + String.join(", ", SCHEMA.childNames(section)) + ")");
            }
            JsonNode value = e.getValue();
            if (key.kind() == ConfigSchema.Kind.SECTION) {
                if (value.isNull()) continue;
                if (!value.isObject()) throw ConfigException.invalid(path, "a section of keys", value.asText());
                merge((ObjectNode) target.get(e.getKey()), value, path);
            } else if (key.kind() == ConfigSchema.Kind.LIST && value.isNull()) {
                target.set(e.getKey(), JsonNodeFactory.instance.arrayNode());
            } else if (key.kind() == ConfigSchema.Kind.MAP && value.isNull()) {
                target.set(e.getKey(), JsonNodeFactory.instance.objectNode());
            } else {
                target.set(e.getKey(), value);
            }
        }
    }

    private static void applyEnvironment(ObjectNode tree, Map<String, String> env) {
        Map<String, ConfigSchema.Key> byEnv = new TreeMap<>();
        for (ConfigSchema.Key k : SCHEMA.keys()) {
            if (k.kind() != ConfigSchema.Kind.SECTION) byEnv.put(k.envName(), k);
        }
        List<String> serviceLinks = new ArrayList<>();
        for (var e : new TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("GREYRELAY_") || RESERVED_ENV.contains(name)) continue;
            ConfigSchema.Key key = byEnv.get(name);
            String value = e.getValue();
            if (key == null && name.endsWith(FILE_SUFFIX) && byEnv.containsKey(name.substring(0, name.length() - FILE_SUFFIX.length()))) {
                // GREYRELAY_<KEY>_FILE: the value is in a file (Docker and Kubernetes secrets)
                String direct = name.substring(0, name.length() - FILE_SUFFIX.length());
                if (env.containsKey(direct)) throw new ConfigException("both " + direct + " and " + name + " are set: choose one");
                key = byEnv.get(direct);
                value = secretFile(name, value);
            }
            if (key == null && KUBERNETES_SERVICE_LINK.matcher(name).matches()) {
                serviceLinks.add(name); // a Service named "greyrelay" puts these in every pod of its namespace
                continue;
            }
            if (key == null) throw new ConfigException("unknown environment variable " + name + " (no such configuration key)");
            ObjectNode parent = tree;
            String[] parts = key.path().split("\\.");
            for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
            parent.set(parts[parts.length - 1], envValue(key, value));
        }
        if (!serviceLinks.isEmpty() && LOGGED_SERVICE_LINKS.compareAndSet(false, true)) {
            LOG.debug("ignoring Kubernetes service-link variables {} (not configuration keys)", serviceLinks);
        }
    }

    private static String secretFile(String variable, String file) {
        try {
            String text = Files.readString(Path.of(file.trim()));
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new ConfigException(variable + ": cannot read the file " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /**
     * YAML 1.1 reads an unquoted {@code on}/{@code off} (and {@code yes}/{@code no}) as a boolean: for a key whose values
     * are {@code on}/{@code off}/{@code auto}, a boolean means on or off.
     */
    private static void onOffFromBooleans(ObjectNode tree) {
        for (ConfigSchema.Key k : SCHEMA.keys()) {
            if (k.kind() != ConfigSchema.Kind.SCALAR || !k.type().isEnum() || !hasOnOff(k.type())) continue;
            String[] parts = k.path().split("\\.");
            JsonNode parent = tree;
            for (int i = 0; i < parts.length - 1 && parent != null; i++) parent = parent.get(parts[i]);
            if (parent instanceof ObjectNode o && o.get(parts[parts.length - 1]) instanceof JsonNode v && v.isBoolean()) {
                o.put(parts[parts.length - 1], v.booleanValue() ? "on" : "off");
            }
        }
    }

    private static boolean hasOnOff(Class<?> enumType) {
        Set<String> names = new java.util.HashSet<>();
        for (Object c : enumType.getEnumConstants()) names.add(((Enum<?>) c).name());
        return names.contains("ON") && names.contains("OFF");
    }

    private static JsonNode envValue(ConfigSchema.Key key, String raw) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        String v = raw.trim();
        return switch (key.kind()) {
            case LIST -> {
                ArrayNode a = f.arrayNode();
                if (!v.isEmpty()) for (String part : v.split(",")) a.add(part.trim());
                yield a;
            }
            case MAP -> {
                ObjectNode o = f.objectNode();
                if (!v.isEmpty()) {
                    for (String part : v.split(",")) {
                        int eq = part.indexOf('=');
                        if (eq <= 0) throw ConfigException.invalid(key.envName(), "key=value pairs separated by commas", raw);
                        o.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
                    }
                }
                yield o;
            }
            default -> f.textNode(v);
        };
    }

    private static RelayConfig bind(ObjectNode tree) {
        onOffFromBooleans(tree);
        try {
            return YAML.treeToValue(tree, RelayConfig.class);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            while (c != null && !(c instanceof ConfigException)) c = c.getCause();
            if (c != null) throw (ConfigException) c;
            throw new ConfigException(pathOf(e) + ": " + e.getOriginalMessage());
        } catch (JsonMappingException e) {
            String path = pathOf(e);
            ConfigSchema.Key key = SCHEMA.key(path);
            JsonNode got = tree.at("/" + path.replace('.', '/'));
            String expected = key == null ? "another value"
                    : key.kind() == ConfigSchema.Kind.LIST ? "a list of " + ConfigSchema.expected(key.type()).replaceFirst("^an? ", "")
                    : ConfigSchema.expected(key.type());
            throw ConfigException.invalid(path, expected, got.isMissingNode() ? null : got.isValueNode() ? got.asText() : got.toString());
        } catch (JsonProcessingException e) {
            throw new ConfigException("configuration: " + e.getOriginalMessage());
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() == null) continue; // list index: report the list key
            if (!sb.isEmpty()) sb.append('.');
            sb.append(r.getFieldName());
        }
        return sb.toString();
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("greyrelay-config");
        m.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration d, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(Durations.format(d));
            }
        });
        m.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    return (Duration) ctx.handleWeirdStringValue(Duration.class, text, "not a duration");
                }
            }
        });
        m.addSerializer(DataSize.class, new JsonSerializer<>() {
            @Override
            public void serialize(DataSize d, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(d.toString());
            }
        });
        m.addDeserializer(DataSize.class, new JsonDeserializer<>() {
            @Override
            public DataSize deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                String text = p.getValueAsString();
                try {
                    return DataSize.parse(text);
                } catch (IllegalArgumentException e) {
                    return (DataSize) ctx.handleWeirdStringValue(DataSize.class, text, "not a size");
                }
            }
        });
        m.addDeserializer(DownstreamConfig.TlsPolicy.class, new JsonDeserializer<>() {
            @Override
            public DownstreamConfig.TlsPolicy deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                return DownstreamConfig.TlsPolicy.parse(p.getValueAsString()); // the old names too, with a warning
            }
        });
        return JsonMapper.builder(new YAMLFactory()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
                .addModule(m)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
                .build();
    }
}
