package greyrelay.relay.smtp;

import greyrelay.relay.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds a server SSLContext from PEM files, as mail administrators have them (certbot's fullchain.pem + privkey.pem). */
public final class TlsContexts {
    private static final Pattern KEY = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private TlsContexts() {}

    /** @throws ConfigException naming {@code smtp.tls.*} when a file is missing or not usable */
    public static SSLContext fromPem(Path certificate, Path key, String keyPrefix) {
        try {
            byte[] certBytes = read(certificate, keyPrefix + ".certificate");
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(certBytes));
            if (certs.isEmpty()) throw new ConfigException(keyPrefix + ".certificate: no PEM certificate in " + certificate);
            String keyText = new String(read(key, keyPrefix + ".key"), StandardCharsets.US_ASCII);
            Matcher m = KEY.matcher(keyText);
            if (!m.find()) {
                throw new ConfigException(keyPrefix + ".key: expected a PKCS#8 PEM key (BEGIN PRIVATE KEY) in " + key
                        + "; convert with: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            PrivateKey pk = null;
            for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
                try {
                    pk = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
                    break;
                } catch (GeneralSecurityException ignored) {
                    // try the next algorithm
                }
            }
            if (pk == null) throw new ConfigException(keyPrefix + ".key: unsupported key type in " + key);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = "greyrelay".toCharArray();
            ks.setKeyEntry("server", pk, pw, certs.toArray(new Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException(keyPrefix + ": cannot use certificate and key (" + e.getMessage() + ")");
        }
    }

    private static byte[] read(Path p, String key) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new ConfigException(key + ": cannot read " + p + " (" + e.getMessage() + ")");
        }
    }
}
