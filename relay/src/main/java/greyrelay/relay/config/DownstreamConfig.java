package greyrelay.relay.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code downstream.*}: the MTA that receives accepted mail.
 *
 * @param tls       STARTTLS towards it: {@link TlsPolicy}
 * @param tlsName   with {@code tls: verify}, the name its certificate must carry; "" = {@code host} (a route's host for
 *                  a route)
 * @param tlsCaFile with {@code tls: verify}, PEM file of the certificate authorities to trust instead of the system's
 *                  ("" = the JDK's trust store)
 * @param maxConnections connections open at once to one route (the host, or each of {@code routes}), each delivering
 *                  one message after another
 */
public record DownstreamConfig(
        String host,
        int port,
        Map<String, String> routes,
        TlsPolicy tls,
        String tlsName,
        String tlsCaFile,
        Duration connectTimeout,
        Duration replyTimeout,
        Duration connectionCacheTime,
        int maxConnections) {

    /**
     * STARTTLS towards the downstream, named as Postfix's {@code smtp_tls_security_level}. The names of earlier
     * versions still work, with a warning: {@code opportunistic} is {@code may}, {@code required} is {@code encrypt}.
     */
    public enum TlsPolicy {
        /** Plain text only. */
        NONE,
        /** STARTTLS when offered, certificate not checked; plain text when not offered. */
        MAY,
        /** STARTTLS or no delivery; certificate not checked. */
        ENCRYPT,
        /** STARTTLS or no delivery; the certificate must chain to a trusted authority and name {@code tlsName}. */
        VERIFY;

        private static final Logger log = LoggerFactory.getLogger(TlsPolicy.class);

        /** Whether STARTTLS is tried at all. */
        public boolean tries() {
            return this != NONE;
        }

        /** Whether mail waits rather than go without TLS. */
        public boolean required() {
            return this == ENCRYPT || this == VERIFY;
        }

        /** The YAML or environment text (any case), old names included; ConfigLoader reads the key through this. */
        static TlsPolicy parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            String renamed = switch (t) {
                case "opportunistic" -> "may";
                case "required" -> "encrypt";
                default -> null;
            };
            if (renamed != null) {
                log.warn("downstream.tls: \"{}\" is the old name of \"{}\"; please write {}", t, renamed, renamed);
                t = renamed;
            }
            for (TlsPolicy p : values()) if (p.name().toLowerCase(Locale.ROOT).equals(t)) return p;
            throw ConfigException.invalid("downstream.tls", "one of none, may, encrypt, verify", text);
        }
    }

    public DownstreamConfig {
        Require.present("downstream.host", host, "a host name or IP address");
        if (host.isBlank()) throw ConfigException.invalid("downstream.host", "a host name or IP address", host);
        Require.range("downstream.port", port, 1, 65535);
        Map<String, String> normalised = new LinkedHashMap<>();
        for (var e : Require.map("downstream.routes", routes).entrySet()) {
            String domain = e.getKey().trim().toLowerCase(Locale.ROOT);
            String name = domain.startsWith(".") ? domain.substring(1) : domain;
            if (!HostNames.isValid(name)) throw ConfigException.invalid("downstream.routes", "recipient domains as keys", e.getKey());
            HostPort.parse("downstream.routes." + domain, e.getValue(), 25);
            normalised.put(domain, e.getValue().trim());
        }
        routes = Map.copyOf(normalised);
        Require.present("downstream.tls", tls, "one of none, may, encrypt, verify");
        tlsName = Require.present("downstream.tlsName", tlsName, "a host name or \"\"").strip().toLowerCase(Locale.ROOT);
        if (!tlsName.isEmpty() && !HostNames.isValid(tlsName)) {
            throw ConfigException.invalid("downstream.tlsName", "a host name such as mail.example.com, or \"\"", tlsName);
        }
        tlsCaFile = Require.present("downstream.tlsCaFile", tlsCaFile, "a PEM file path or \"\"").strip();
        Require.duration("downstream.connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
        Require.duration("downstream.replyTimeout", replyTimeout, Duration.ofMillis(100), Duration.ofHours(1));
        Require.duration("downstream.connectionCacheTime", connectionCacheTime, Duration.ZERO, Duration.ofMinutes(5));
        Require.range("downstream.maxConnections", maxConnections, 1, 1000);
    }

    static DownstreamConfig defaults() {
        return new DownstreamConfig("127.0.0.1", 25, Map.of(), TlsPolicy.MAY, "", "", Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofSeconds(2), 10);
    }

    /** The name a certificate of {@code routeHost} must carry: {@code tlsName} for {@code host} when set, else the host itself. */
    public String tlsNameFor(String routeHost) {
        return routeHost.equalsIgnoreCase(host) && !tlsName.isEmpty() ? tlsName : routeHost;
    }
}
