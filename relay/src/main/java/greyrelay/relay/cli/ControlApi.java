package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.admin.app.AdminApp;
import greyrelay.admin.auth.ControlToken;
import greyrelay.db.Database;
import greyrelay.relay.Relay;
import greyrelay.relay.admin.AdminWiring;
import greyrelay.relay.admin.ControlUrl;
import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.RelayConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How every command reaches the relay's state: the running relay's JSON API when a relay runs on this data directory
 * ({@code <dataDir>/control.url} and {@code control.token}, written at its start; the panel's address, or the loopback
 * control listener when {@code admin.enabled: false}), else the same API served by this process for the duration of
 * the command on the database the configuration names (loopback, a free port, a token that never leaves the process).
 * So each command has one implementation, and with H2 the relay's locked file is never opened twice.
 *
 * <p>Every call names the OS user ({@code X-Greyrelay-Cli-User}), so the audit log says {@code cli:<user>}, with the
 * loopback address, whichever of the two answers.
 */
final class ControlApi implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The OS user at the command line; the API believes it only with the control token (admin-ui's Requests). */
    static final String CLI_USER_HEADER = greyrelay.admin.web.Requests.CLI_USER_HEADER;

    /** Exit 1 with one line for the operator. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** A non-200 answer: its status and the API's error text. */
    static final class Refused extends RuntimeException {
        final int status;
        /** The answer's JSON (an import's {@code problems}, say). */
        final JsonNode body;

        Refused(int status, String message, JsonNode body) {
            super(message, null, false, false);
            this.status = status;
            this.body = body;
        }
    }

    /** One answer whatever its status: the status and the JSON body (an empty object when there was none). */
    record Answer(int status, JsonNode body) {
        /** The {@code error} of a problem answer, with the first field message when there is one. */
        String error() {
            String e = body.path("error").asText("HTTP " + status);
            var fields = body.path("fields").fields();
            if (fields.hasNext()) {
                var f = fields.next();
                e = f.getKey() + ": " + f.getValue().asText();
            }
            return e;
        }
    }

    /** A command's work on the API; its exit code. */
    @FunctionalInterface
    interface Call {
        int on(ControlApi api) throws Exception;
    }

    /** Runs {@code call} on {@link #open}; a {@link Failure} is one line on stderr and exit 1. */
    static int with(RelayConfig c, Call call) {
        try (ControlApi api = open(c)) {
            return call.on(api);
        } catch (Failure f) {
            System.err.println("greyrelay: " + f.getMessage());
            return 1;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            System.err.println("greyrelay: " + e.getMessage());
            return 1;
        }
    }

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Javalin local;
    private final Database localDb;
    private final AutoCloseable localChecks;

    private ControlApi(URI base, String token, HttpClient http, Javalin local, Database localDb, AutoCloseable localChecks) {
        this.base = base;
        this.token = token;
        this.http = http;
        this.local = local;
        this.localDb = localDb;
        this.localChecks = localChecks;
    }

    /** The running relay's API; empty when none answers on this data directory. */
    static Optional<ControlApi> running(RelayConfig c) {
        Path dataDir = c.dataPath();
        String url;
        Optional<String> token;
        try {
            url = ControlUrl.read(dataDir).orElseGet(() -> c.admin().enabled()
                    ? ControlUrl.of(c.admin().bind(), c.admin().port(), c.admin().tls().enabled()) : null);
            token = ControlToken.read(dataDir);
        } catch (IOException e) {
            throw new Failure("cannot read " + dataDir.resolve(ControlToken.FILE_NAME) + ": " + e.getMessage() + " (run as the relay's user)");
        }
        if (url == null || token.isEmpty()) return Optional.empty();
        ControlApi api = new ControlApi(URI.create(url), token.get(), client(url.startsWith("https:")), null, null, null);
        return api.answers() ? Optional.of(api) : Optional.empty();
    }

    /** The running relay's API, else this process serving the same API on the database (the relay is stopped). */
    static ControlApi open(RelayConfig c) {
        Optional<ControlApi> running = running(c);
        return running.isPresent() ? running.get() : local(c);
    }

    private static ControlApi local(RelayConfig c) {
        Database db = Databases.open(c);
        OfflineChecks checks = new OfflineChecks(c, db);
        try {
            String token = "grc_local_" + java.util.UUID.randomUUID();
            Javalin app = AdminApp.builder(AdminWiring.controlSettings(c, Relay.version()).withControlToken(token), db)
                    .clock(Clock.systemUTC()).configuration(ConfigDump.masked(c), AdminWiring.configKeys(c)).relayPolicy(AdminWiring.policy(c))
                    .dryRuns(checks).controlOnly()
                    .build().start(ControlUrl.LOOPBACK, 0);
            return new ControlApi(URI.create(ControlUrl.of(ControlUrl.LOOPBACK, app.port(), false)), token, client(false), app, db, checks);
        } catch (RuntimeException e) {
            checks.close();
            db.close();
            throw e;
        }
    }

    /**
     * The dry run on the database when no relay runs ({@code greyrelay check}): the check table is built at the first
     * dry run only, so the other commands do not pay for it.
     */
    private static final class OfflineChecks implements greyrelay.admin.decisions.DryRuns, AutoCloseable {
        private final RelayConfig config;
        private final Database db;
        private greyrelay.relay.OfflineDryRun offline;

        OfflineChecks(RelayConfig config, Database db) {
            this.config = config;
            this.db = db;
        }

        @Override
        public synchronized Answer check(Request request) {
            if (offline == null) offline = greyrelay.relay.OfflineDryRun.open(config, db, Clock.systemUTC());
            return new greyrelay.relay.admin.DryRunOperations(offline.dryRun()).check(request);
        }

        @Override
        public synchronized void close() {
            if (offline != null) offline.close();
        }
    }

    /** True when this is the running relay; false when this process opened the database itself. */
    boolean isRelay() {
        return local == null;
    }

    /** Where the call went, for the operator: the running relay's address, or the database this process opened. */
    String where() {
        return isRelay() ? "the running relay at " + base : String.valueOf(localDb);
    }

    private boolean answers() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/health/live")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 || r.statusCode() == 503;
        } catch (ConnectException | HttpConnectTimeoutException e) {
            return false;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The relay's clock now (its {@code /api/me}): "the last hour" is the relay's last hour. */
    java.time.Instant now() throws Exception {
        return java.time.Instant.parse(call("GET", "/api/me", null).path("now").asText());
    }

    /** A call whose non-200 answer is the operator's failure, with its status named. */
    JsonNode call(String method, String path, String jsonBody) throws Exception {
        try {
            return request(method, path, jsonBody);
        } catch (Refused r) {
            throw new Failure(switch (r.status) {
                case 401, 403 -> "the relay refused the control token (was it restarted with another dataDir?)";
                default -> "the relay answered " + r.status + ": " + r.getMessage();
            });
        }
    }

    /** A JSON call (the body encoded, null for none) answered whatever its status; a refused token is a failure. */
    Answer answer(String method, String path, Object body) throws Exception {
        try {
            return new Answer(200, request(method, path, body == null ? null : JSON.writeValueAsString(body)));
        } catch (Refused r) {
            if (r.status == 401 || r.status == 403) {
                throw new Failure("the relay refused the control token (was it restarted with another dataDir?)");
            }
            return new Answer(r.status, r.body);
        }
    }

    /** A call; a non-200 answer is {@link Refused}. */
    JsonNode request(String method, String path, String jsonBody) throws Exception {
        return request(method, path, "application/json", jsonBody);
    }

    /** A call with a body of the given content type (a whitelist file is text); a non-200 answer is {@link Refused}. */
    JsonNode request(String method, String path, String contentType, String payload) throws Exception {
        HttpResponse<String> resp = raw(method, path, contentType, payload);
        JsonNode body;
        try {
            body = resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            body = JSON.createObjectNode().put("error", resp.body());
        }
        if (resp.statusCode() / 100 == 2) return body;
        String message = body.path("error").asText(body.path("title").asText(resp.body()));
        var fields = body.path("fields").fields();
        if (fields.hasNext()) { // a form's first refused field says more than "invalid request"
            var f = fields.next();
            message = f.getKey() + ": " + f.getValue().asText();
        }
        throw new Refused(resp.statusCode(), message, body);
    }

    /** The answer whatever its status (health answers 503 with a body). */
    HttpResponse<String> raw(String method, String path, String jsonBody) throws Exception {
        return raw(method, path, "application/json", jsonBody);
    }

    private HttpResponse<String> raw(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header(CLI_USER_HEADER, System.getProperty("user.name", "unknown"));
        r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
                : r.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure("the relay does not answer on " + base + " (is it running?)");
        }
    }

    @Override
    public void close() {
        if (local != null) local.stop();
        if (localChecks != null) {
            try {
                localChecks.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (localDb != null) localDb.close();
    }

    private static HttpClient client(boolean tls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls) b.sslContext(trustAll()); // our own listener on this host; the token, not the certificate, authenticates
        return b.build();
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
