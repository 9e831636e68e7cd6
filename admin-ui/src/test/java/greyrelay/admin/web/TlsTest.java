package greyrelay.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import greyrelay.admin.testing.AdminServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a certificate the panel speaks HTTPS only, marks its cookie Secure and sends HSTS. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void serves_https_only_with_secure_cookies_and_hsts() throws Exception {
        try (AdminServer server = AdminServer.start(dir, AdminServer.settings().withTls(serverContext(dir)), b -> {})) {
            HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).followRedirects(HttpClient.Redirect.NEVER).build();
            URI login = URI.create("https://127.0.0.1:" + server.app.port() + "/login");

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(login).GET().build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Strict-Transport-Security")).hasValue("max-age=31536000");
            assertThat(AdminServer.setCookie(r, "greyrelay_login").orElseThrow()).contains("Secure").contains("HttpOnly");
            assertThatThrownBy(() -> server.get("/login")).isInstanceOf(AssertionError.class);
        }
    }

    /** A self-signed certificate for 127.0.0.1, made now by the JDK's keytool. */
    static SSLContext serverContext(Path dir) throws Exception {
        Path ks = dir.resolve("admin.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static SSLContext trustAll() throws Exception {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {any}, null);
        return ctx;
    }
}
