package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.relay.config.RelayConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The running relay's admin API on this host, authenticated with the control token the relay writes to
 * {@code <dataDir>/control.token} at each start. {@code queue} always goes through it (the queue lives in the relay
 * process); {@code admin-user}, {@code admin-token} and {@code whitelist} go through it when a relay answers
 * ({@link #ifRunning}), so they work while the relay holds the embedded H2 file, and open the database themselves
 * only when none does. Every call names the OS user, so the audit log says {@code cli:<user>} as for a direct change.
 */
final class ControlApi {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Exit 1 with one line for the operator. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** One answer: the status and the JSON body (an empty object when there was none). */
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

    private final URI base;
    private final String token;
    private final HttpClient http;

    private ControlApi(URI base, String token, HttpClient http) {
        this.base = base;
        this.token = token;
        this.http = http;
    }

    /** The relay's API, or a one-line failure saying why there is none (the queue commands need it). */
    static ControlApi require(RelayConfig c, String who) {
        if (!c.admin().enabled()) throw new Failure(who + " need the relay's admin API (admin.enabled: true)");
        Path tokenFile = c.dataPath().resolve("control.token");
        String token;
        try {
            token = Files.readString(tokenFile).strip();
        } catch (NoSuchFileException e) {
            throw new Failure("no " + tokenFile + ": is the relay running with this dataDir?");
        } catch (IOException e) {
            throw new Failure("cannot read " + tokenFile + ": " + e.getMessage() + " (run as the relay's user)");
        }
        String bind = c.admin().bind();
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind.contains(":") ? "[" + bind + "]" : bind;
        boolean tls = c.admin().tls().enabled();
        URI base = URI.create((tls ? "https" : "http") + "://" + host + ":" + c.admin().port());
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls) b.sslContext(trustAll()); // our own listener on this host; the token, not the certificate, authenticates
        return new ControlApi(base, token, b.build());
    }

    /**
     * The running relay's API when one answers with this data directory's control token; empty when no relay runs
     * (no token file, nobody listening, or a stale token from an earlier run), so the caller opens the database.
     */
    static Optional<ControlApi> ifRunning(RelayConfig c) {
        if (!c.admin().enabled() || c.admin().port() == 0) return Optional.empty();
        ControlApi api;
        try {
            api = require(c, "");
        } catch (Failure e) {
            return Optional.empty();
        }
        try {
            return api.send("GET", "/api/me", null, null).status() == 200 ? Optional.of(api) : Optional.empty();
        } catch (Failure e) {
            return Optional.empty();
        }
    }

    URI base() {
        return base;
    }

    /** A JSON call: the answer whatever its status, except a refused token, which is a failure. */
    Answer json(String method, String path, Object body) {
        try {
            return send(method, path, "application/json", body == null ? null : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new Failure("cannot encode the request: " + e.getMessage());
        }
    }

    /** Sends the body (null for none) with its content type; a refused token or a relay that is gone is a failure. */
    Answer send(String method, String path, String contentType, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json")
                .header("X-Greyrelay-Cli-User", System.getProperty("user.name", "unknown"));
        r = body == null ? r.method(method, HttpRequest.BodyPublishers.noBody())
                : r.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> resp;
        try {
            resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failure("the relay does not answer on " + base + " (is it running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        if (resp.statusCode() == 401 || resp.statusCode() == 403) {
            throw new Failure("the relay refused the control token (was it restarted with another dataDir?)");
        }
        JsonNode json;
        try {
            json = resp.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            json = JSON.createObjectNode().put("error", resp.body());
        }
        return new Answer(resp.statusCode(), json);
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
