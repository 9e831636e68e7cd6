package greyrelay.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for tests: a server context with a self-signed certificate for "localhost", made at test time by the
 * JDK's own keytool (nothing checked in, nothing copied), a client factory that trusts any certificate, and a small
 * certificate authority of our own with a server certificate it signed ({@link #caSigned}).
 */
public final class SelfSignedTls {

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static SSLContext server;

    private SelfSignedTls() {}

    /** A server-side context for CN=localhost (SAN dns:localhost, ip:127.0.0.1); made once per JVM. */
    public static synchronized SSLContext serverContext() {
        if (server == null) {
            server = makeServerContext();
        }
        return server;
    }

    /** A client factory that trusts every certificate (host names are still checked if a caller asks for it). */
    public static SSLSocketFactory trustAllClientFactory() {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM certificate and PKCS#8 key files, as an operator would configure them ({@code smtp.tls.*}). */
    public record PemFiles(Path certificate, Path key) {}

    public static PemFiles pemFiles(Path dir, String cn) {
        try {
            Path keystore = dir.resolve("pem-src.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname",
                    "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=dns:" + cn, "-validity", "2", "-keystore", keystore.toString(),
                    "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt"))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) throw new IllegalStateException("keytool failed: " + output);
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
            java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            Path cert = dir.resolve("fullchain.pem");
            Path key = dir.resolve("privkey.pem");
            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n" + b64.encodeToString(store.getCertificate("mx").getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64.encodeToString(store.getKey("mx", PASSWORD).getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            Files.delete(keystore);
            return new PemFiles(cert, key);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make PEM files", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A test certificate authority and a server certificate it signed: {@code caCertificate} is the CA's PEM file, as an
     * operator would give it in {@code downstream.tlsCaFile}; {@code server} presents the signed certificate with the
     * chain up to the CA.
     */
    public record CaSigned(Path caCertificate, SSLContext server) {}

    private static final java.util.Map<String, CaSigned> CA_SIGNED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A CA ({@code CN=greyrelay test CA}, basicConstraints CA) and a server certificate it signed, for the names in
     * {@code san} (keytool's form: {@code dns:mx.example.com,ip:127.0.0.1}); made with keytool's {@code -genkeypair},
     * {@code -certreq} and {@code -gencert}, once per JVM and {@code san}, in a temporary folder.
     */
    public static CaSigned caSigned(String san) {
        return CA_SIGNED.computeIfAbsent(san, SelfSignedTls::makeCaSigned);
    }

    private static CaSigned makeCaSigned(String san) {
        try {
            Path dir = Files.createTempDirectory("greyrelay-ca");
            String ca = dir.resolve("ca.p12").toString();
            String mx = dir.resolve("mx.p12").toString();
            String pw = new String(PASSWORD);
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=greyrelay test CA",
                    "-ext", "bc:c", "-validity", "2", "-keystore", ca, "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
            keytool("-genkeypair", "-alias", "mx", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=downstream",
                    "-validity", "2", "-keystore", mx, "-storetype", "PKCS12", "-storepass", pw, "-keypass", pw);
            keytool("-certreq", "-alias", "mx", "-keystore", mx, "-storepass", pw, "-file", dir.resolve("mx.csr").toString());
            keytool("-gencert", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-infile", dir.resolve("mx.csr").toString(),
                    "-outfile", dir.resolve("mx.pem").toString(), "-rfc", "-ext", "SAN=" + san, "-validity", "2");
            keytool("-exportcert", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-rfc", "-file", dir.resolve("ca.pem").toString());

            var certificates = java.security.cert.CertificateFactory.getInstance("X.509");
            java.security.cert.Certificate signed;
            java.security.cert.Certificate authority;
            try (InputStream in = Files.newInputStream(dir.resolve("mx.pem"))) {
                signed = certificates.generateCertificate(in);
            }
            try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
                authority = certificates.generateCertificate(in);
            }
            KeyStore generated = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(mx))) {
                generated.load(in, PASSWORD);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("mx", generated.getKey("mx", PASSWORD), PASSWORD, new java.security.cert.Certificate[] {signed, authority});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return new CaSigned(dir.resolve("ca.pem"), context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test CA", e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.add("-noprompt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext makeServerContext() {
        try {
            Path dir = Files.createTempDirectory("greyrelay-tls");
            Path keystore = dir.resolve("mx.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "mx",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD), "-noprompt"))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, PASSWORD);
            }
            Files.delete(keystore);
            Files.delete(dir);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
