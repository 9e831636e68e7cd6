package greyrelay.relay.smtpclient;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The two kinds of socket factory {@link SmtpClient#startTls} is given.
 *
 * <ul>
 *   <li>{@link #unverified()}: encrypts and checks nothing about the peer's certificate, as Postfix's {@code may} and
 *       {@code encrypt} levels do. Protects against a passive eavesdropper only; anyone who can redirect the
 *       connection can present any certificate.</li>
 *   <li>{@link #verified}: the certificate must chain to a trusted authority: the JDK's trust store, or only the
 *       certificates of a PEM file (a private CA). With {@code startTls(factory, name, true)} the certificate must also
 *       name the host (RFC 6125 rules as for HTTPS: subjectAltName DNS or IP entries, a wildcard in the left-most label),
 *       which together protect against an active attacker between us and the peer.</li>
 * </ul>
 */
public final class ClientTls {
    private ClientTls() {}

    /** Encryption without any certificate check. */
    public static SSLSocketFactory unverified() {
        return context(new TrustManager[] {new AnyCertificate()}).getSocketFactory();
    }

    /**
     * Certificates checked against {@code caFile}'s authorities (PEM, one or more {@code BEGIN CERTIFICATE} blocks), or
     * against the JDK's trust store when empty.
     *
     * @throws IllegalArgumentException saying what is wrong with the file (missing, unreadable, no certificate)
     */
    public static SSLSocketFactory verified(Optional<Path> caFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(caFile.isPresent() ? authorities(caFile.get()) : null); // null: the JDK's cacerts
            return context(tmf.getTrustManagers()).getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static KeyStore authorities(Path file) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(file)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) throw new IllegalArgumentException("no PEM certificate in " + file);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new IllegalStateException(e); // an empty in-memory store: cannot happen
        }
        int i = 0;
        for (Certificate c : certificates) store.setCertificateEntry("ca-" + i++, c);
        return store;
    }

    private static SSLContext context(TrustManager[] trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trust, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts every certificate: for opportunistic encryption only. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
