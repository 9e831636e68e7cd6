package greyrelay.admin.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.admin.app.AdminApp;
import greyrelay.admin.AdminSettings;
import greyrelay.admin.ChangeListener;
import greyrelay.admin.ConfigKey;
import greyrelay.admin.RelayPolicy;
import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The panel on 127.0.0.1, port 0, over a real H2 file in a temp dir, with a {@link MutableClock}, a {@link FakeQueue},
 * the relay policy {@link #POLICY}, a {@link ChangeListener} that records into {@link #changes}, and the first user
 * {@code admin} / {@link #PASSWORD}; plus a small HTTP client that never follows redirects.
 */
public final class AdminServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery staple";
    public static final String NODE = "mx1.example.com";
    private static final Pattern META_CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\">");
    private static final Pattern FORM_CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]*)\"");

    public final Database database;
    public final boolean ownsDatabase;
    public final MutableClock clock;
    public final FakeQueue queue;
    /** What the panel told the (absent) relay, in order. */
    public final List<ChangeListener.What> changes;
    public final Javalin app;
    public final String base;
    public final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    public final ObjectMapper json = new ObjectMapper();

    /** The relay's defaults, with two spamtraps and one whitelist file. */
    public static final RelayPolicy POLICY = new RelayPolicy(
            new RelayPolicy.Greylist(true, "enforce", Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35), 24, 64, 5,
                    List.of("trap@example.com", "never@example.net"), Duration.ofHours(24), Duration.ofSeconds(30),
                    List.of("/etc/greyrelay/partners"), true),
            new RelayPolicy.RateLimits(true, "enforce", 24, 64, new RelayPolicy.Rates(60, 1000, 5000),
                    new RelayPolicy.Rates(300, 5000, 20000), 50, 0, Duration.ofSeconds(30), true),
            new RelayPolicy.Verification(Duration.ofDays(7)));

    private AdminServer(Database database, boolean owns, MutableClock clock, FakeQueue queue, List<ChangeListener.What> changes,
            Javalin app) {
        this.database = database;
        this.ownsDatabase = owns;
        this.clock = clock;
        this.queue = queue;
        this.changes = changes;
        this.app = app;
        this.base = "http://127.0.0.1:" + app.port();
    }

    /** The embedded panel (with a fake queue and a configuration tree). */
    public static AdminServer start(Path dir) {
        return start(dir, settings(), b -> {});
    }

    public static AdminSettings settings() {
        return AdminSettings.defaults(NODE).withInitialPassword(PASSWORD);
    }

    /** {@code queue == null}: a standalone panel. */
    public static AdminServer start(Path dir, AdminSettings settings, Consumer<AdminApp.Builder> customise) {
        return start(TestDatabases.h2(dir), true, settings, new FakeQueue(), customise);
    }

    public static AdminServer start(Database db, boolean owns, AdminSettings settings, FakeQueue queue,
            Consumer<AdminApp.Builder> customise) {
        return start(db, owns, settings, queue, POLICY, customise);
    }

    /** A panel that was not told the relay's policy (as a tool might build it): pages say what they cannot know. */
    public static AdminServer startWithoutPolicy(Path dir) {
        return start(TestDatabases.h2(dir), true, settings(), null, null, b -> {});
    }

    private static AdminServer start(Database db, boolean owns, AdminSettings settings, FakeQueue queue, RelayPolicy policy,
            Consumer<AdminApp.Builder> customise) {
        MutableClock clock = new MutableClock();
        List<ChangeListener.What> changes = new CopyOnWriteArrayList<>();
        AdminApp.Builder b = AdminApp.builder(settings, db).clock(clock).metrics(() -> "greyrelay_test_total 1.0\n")
                .configuration(sampleConfiguration(), sampleKeys()).changes(changes::add);
        if (policy != null) b.relayPolicy(policy);
        if (queue != null) b.queue(queue);
        customise.accept(b);
        Javalin app = b.build().start("127.0.0.1", 0);
        return new AdminServer(db, owns, clock, queue, changes, app);
    }

    public static JsonNode sampleConfiguration() {
        try {
            return new ObjectMapper().readTree("""
                    {"dataDir": "./data",
                     "smtp": {"port": 2525, "relayDomains": ["example.com"], "tls": {"certificate": "", "key": ""}},
                     "downstream": {"host": "127.0.0.1", "routes": {"example.net": "10.0.0.2:25"}},
                     "database": {"url": "jdbc:postgresql://db.example.com/greyrelay", "password": "********"},
                     "admin": {"password": "********", "metricsOpen": false}}""");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the relay says about some of those keys: {@code smtp.port} and {@code downstream.routes} changed, the TLS
     * keys reloadable, a description with markup in it (it must show as text); {@code dataDir} and the rest undescribed.
     */
    public static List<ConfigKey> sampleKeys() {
        return List.of(
                new ConfigKey("smtp.port", "25", true, false, "SMTP port (the container maps 25 to it)"),
                new ConfigKey("smtp.relayDomains", "[]", true, false, "domains accepted as recipients"),
                new ConfigKey("smtp.tls.certificate", "", false, true, "PEM certificate chain; with <b>smtp.tls.key</b>"),
                new ConfigKey("smtp.tls.key", "", false, true, "PEM private key"),
                new ConfigKey("downstream.host", "127.0.0.1", false, false, "the downstream MTA"),
                new ConfigKey("downstream.routes", "{}", true, false, "per recipient domain host:port"),
                new ConfigKey("admin.metricsOpen", "false", false, false, "serve /metrics without login"));
    }

    /** A logged-in browser: its session cookie and the CSRF token of its pages. */
    public record Session(String cookie, String csrf) {}

    public Session login() {
        return login("admin", PASSWORD);
    }

    public Session login(String user, String password) {
        HttpResponse<String> form = get("/login");
        String loginCookie = cookie(form, "greyrelay_login");
        Matcher m = FORM_CSRF.matcher(form.body());
        if (!m.find()) throw new AssertionError("no CSRF field on the login page");
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/login")).header("Cookie", "greyrelay_login=" + loginCookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("_csrf", m.group(1), "username", user, "password", password)))).build());
        if (r.statusCode() != 303) throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
        String session = cookie(r, "greyrelay_session");
        HttpResponse<String> page = get("/", new Session(session, ""));
        Matcher meta = META_CSRF.matcher(page.body());
        if (!meta.find()) throw new AssertionError("no CSRF meta tag on the dashboard");
        return new Session(session, meta.group(1));
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    public HttpResponse<String> get(String path, Session s) {
        return send(HttpRequest.newBuilder(uri(path)).header("Cookie", "greyrelay_session=" + s.cookie()).GET().build());
    }

    public HttpResponse<String> getWithToken(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token).GET().build());
    }

    /** A form POST with the session's CSRF token in the body. */
    public HttpResponse<String> postForm(String path, Session s, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", s.csrf());
        return send(HttpRequest.newBuilder(uri(path)).header("Cookie", "greyrelay_session=" + s.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form(all))).build());
    }

    /** A multipart form POST (a file upload) with the session's CSRF token as a field. */
    public HttpResponse<String> postFile(String path, Session s, Map<String, String> fields, String fileField, String fileName,
            String content) {
        String boundary = "----greyrelay" + Long.toHexString(System.nanoTime());
        StringBuilder body = new StringBuilder();
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", s.csrf());
        all.forEach((k, v) -> body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(k)
                .append("\"\r\n\r\n").append(v).append("\r\n"));
        body.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"").append(fileField)
                .append("\"; filename=\"").append(fileName).append("\"\r\nContent-Type: text/plain\r\n\r\n").append(content)
                .append("\r\n--").append(boundary).append("--\r\n");
        return send(HttpRequest.newBuilder(uri(path)).header("Cookie", "greyrelay_session=" + s.cookie())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build());
    }

    /** Any request; {@code headers} are added as given (e.g. Cookie, X-CSRF-Token, Authorization). */
    public HttpResponse<String> request(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    /** A JSON call with the session and its CSRF header. */
    public HttpResponse<String> json(String method, String path, Session s, String body) {
        return request(method, path, body, Map.of("Cookie", "greyrelay_session=" + s.cookie(), "X-CSRF-Token", s.csrf(),
                "Content-Type", "application/json"));
    }

    /** A JSON call with a bearer token. */
    public HttpResponse<String> jsonWithToken(String method, String path, String token, String body) {
        return request(method, path, body, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
    }

    public JsonNode parse(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    public static String cookie(HttpResponse<?> r, String name) {
        return setCookie(r, name).map(h -> h.substring(name.length() + 1, h.indexOf(';') < 0 ? h.length() : h.indexOf(';')))
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + r.headers().allValues("Set-Cookie")));
    }

    /** The whole Set-Cookie header of that cookie (attributes included). */
    public static java.util.Optional<String> setCookie(HttpResponse<?> r, String name) {
        List<String> all = r.headers().allValues("Set-Cookie");
        return all.stream().filter(h -> h.startsWith(name + "=")).findFirst();
    }

    public static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> {
            if (!sb.isEmpty()) sb.append('&');
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    @Override
    public void close() {
        app.stop();
        if (ownsDatabase) database.close();
    }
}
