package greyrelay.relay.config;

import greyrelay.db.net.IpNetwork;
import java.time.Duration;
import java.util.List;

/**
 * {@code admin.*}: the embedded web panel, {@code /health} and {@code /metrics}.
 *
 * @param metricsOpen      serve {@code /metrics} without login (for a Prometheus that cannot send a bearer token)
 * @param tls              HTTPS for the panel: PEM certificate chain and PKCS#8 key; both or neither
 * @param sessionTimeout   a browser session idle this long ends (and none lives longer than 12 h)
 * @param loginMaxFailures failed logins per client IP within {@code loginWindow} before that IP must wait
 * @param loginWindow      the window of {@code loginMaxFailures}
 * @param loginMaxFailuresPerAccount failed logins for one username, from any addresses, within {@code loginWindow}
 *                         before that account must wait (a guessing attack spread over many addresses)
 * @param trustedProxies   networks of reverse proxies whose {@code X-Forwarded-For} is believed (client address for
 *                         throttling, audit and sessions); empty: the TCP peer is the client
 */
public record AdminConfig(boolean enabled, String bind, int port, @Secret String password, boolean metricsOpen, Tls tls,
        Duration sessionTimeout, int loginMaxFailures, Duration loginWindow, int loginMaxFailuresPerAccount,
        List<String> trustedProxies) {
    public AdminConfig {
        Require.present("admin.bind", bind, "an IP address, 127.0.0.1 by default");
        if (!SmtpConfig.isIpLiteral(bind)) throw ConfigException.invalid("admin.bind", "an IP address such as 127.0.0.1", bind);
        Require.port("admin.port", port);
        Require.present("admin.password", password, "a password or \"\"");
        Require.present("admin.tls", tls, "a section");
        Require.duration("admin.sessionTimeout", sessionTimeout, Duration.ofMinutes(1), Duration.ofHours(12));
        Require.range("admin.loginMaxFailures", loginMaxFailures, 1, 1000);
        Require.duration("admin.loginWindow", loginWindow, Duration.ofSeconds(10), Duration.ofDays(1));
        Require.range("admin.loginMaxFailuresPerAccount", loginMaxFailuresPerAccount, 1, 100_000);
        trustedProxies = Require.list("admin.trustedProxies", trustedProxies).stream().map(AdminConfig::network).toList();
    }

    /** The networks of {@link #trustedProxies} (validated text, so parsing cannot fail here). */
    public List<IpNetwork> trustedProxyNetworks() {
        return trustedProxies.stream().map(IpNetwork::parse).toList();
    }

    private static String network(String entry) {
        try {
            return IpNetwork.parse(entry).cidr();
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("admin.trustedProxies", "networks such as 192.0.2.10/32 or 2001:db8::/64", entry);
        }
    }

    @Override
    public String toString() {
        return ConfigDump.describe(this);
    }

    static AdminConfig defaults() {
        return new AdminConfig(true, "127.0.0.1", 8080, "", false, Tls.defaults(), Duration.ofHours(1), 5, Duration.ofMinutes(15), 20,
                List.of());
    }

    /** {@code admin.tls.*}: with both set, the panel speaks HTTPS only (and its cookies are Secure). */
    public record Tls(String certificate, String key) {
        public Tls {
            Require.present("admin.tls.certificate", certificate, "a PEM file path or \"\"");
            Require.present("admin.tls.key", key, "a PEM file path or \"\"");
            if (certificate.isBlank() != key.isBlank()) {
                throw new ConfigException("admin.tls: expected both certificate and key, or neither");
            }
        }

        static Tls defaults() {
            return new Tls("", "");
        }

        public boolean enabled() {
            return !certificate.isBlank();
        }
    }
}
