package greyrelay.relay.config;

import java.time.Duration;

/**
 * {@code admin.*}: the embedded web panel, {@code /health} and {@code /metrics}.
 *
 * @param metricsOpen      serve {@code /metrics} without login (for a Prometheus that cannot send a bearer token)
 * @param tls              HTTPS for the panel: PEM certificate chain and PKCS#8 key; both or neither
 * @param sessionTimeout   a browser session idle this long ends (and none lives longer than 12 h)
 * @param loginMaxFailures failed logins per client IP within {@code loginWindow} before that IP must wait
 * @param loginWindow      the window of {@code loginMaxFailures}
 */
public record AdminConfig(boolean enabled, String bind, int port, @Secret String password, boolean metricsOpen, Tls tls,
        Duration sessionTimeout, int loginMaxFailures, Duration loginWindow) {
    public AdminConfig {
        Require.present("admin.bind", bind, "an IP address, 127.0.0.1 by default");
        if (!SmtpConfig.isIpLiteral(bind)) throw ConfigException.invalid("admin.bind", "an IP address such as 127.0.0.1", bind);
        Require.port("admin.port", port);
        Require.present("admin.password", password, "a password or \"\"");
        Require.present("admin.tls", tls, "a section");
        Require.duration("admin.sessionTimeout", sessionTimeout, Duration.ofMinutes(1), Duration.ofHours(12));
        Require.range("admin.loginMaxFailures", loginMaxFailures, 1, 1000);
        Require.duration("admin.loginWindow", loginWindow, Duration.ofSeconds(10), Duration.ofDays(1));
    }

    @Override
    public String toString() {
        return ConfigDump.describe(this);
    }

    static AdminConfig defaults() {
        return new AdminConfig(true, "127.0.0.1", 8080, "", false, Tls.defaults(), Duration.ofHours(1), 5, Duration.ofMinutes(15));
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
