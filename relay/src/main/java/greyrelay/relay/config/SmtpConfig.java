package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** {@code smtp.*}: the listener. */
public record SmtpConfig(
        String bind,
        int port,
        String hostname,
        List<String> relayDomains,
        DataSize maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerIp,
        Duration commandTimeout,
        int maxHops,
        boolean proxyProtocol,
        Duration shutdownGrace,
        TlsConfig tls) {

    public SmtpConfig {
        Require.present("smtp.bind", bind, "an IP address to listen on, \"::\" for all");
        if (!isIpLiteral(bind)) throw ConfigException.invalid("smtp.bind", "an IP address such as :: or 0.0.0.0 or 192.0.2.1", bind);
        Require.port("smtp.port", port);
        Require.present("smtp.hostname", hostname, "a fully-qualified host name");
        if (!HostNames.isValid(hostname)) throw ConfigException.invalid("smtp.hostname", "a host name such as mx.example.com", hostname);
        hostname = hostname.toLowerCase(Locale.ROOT);
        relayDomains = Require.list("smtp.relayDomains", relayDomains).stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).toList();
        for (String d : relayDomains) {
            String name = d.startsWith(".") ? d.substring(1) : d;
            if (!HostNames.isValid(name)) {
                throw ConfigException.invalid("smtp.relayDomains", "domain names such as example.com or .sub.example.com", d);
            }
        }
        Require.present("smtp.maxMessageSize", maxMessageSize, "a size such as 25MB");
        if (maxMessageSize.bytes() < 1024 || maxMessageSize.bytes() > Integer.MAX_VALUE) {
            throw ConfigException.invalid("smtp.maxMessageSize", "a size from 1KB to 2047MB", maxMessageSize.toString());
        }
        Require.range("smtp.maxRecipients", maxRecipients, 1, 100_000);
        Require.range("smtp.maxConnections", maxConnections, 1, 100_000);
        Require.range("smtp.maxConnectionsPerIp", maxConnectionsPerIp, 1, 100_000);
        Require.duration("smtp.commandTimeout", commandTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        Require.range("smtp.maxHops", maxHops, 1, 1000);
        Require.duration("smtp.shutdownGrace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
        Require.present("smtp.tls", tls, "a section");
    }

    /** IPv4 dotted quad or an IPv6 literal: binding must never depend on a DNS lookup. */
    static boolean isIpLiteral(String s) {
        if (s.matches("(\\d{1,3})(\\.\\d{1,3}){3}")) {
            for (String p : s.split("\\.")) if (Integer.parseInt(p) > 255) return false;
            return true;
        }
        return s.contains(":") && s.matches("[0-9a-fA-F:.]+");
    }

    static SmtpConfig defaults() {
        return new SmtpConfig("::", 2525, HostNames.localHostName(), List.of(), DataSize.ofMegabytes(25), 100, 200, 20,
                Duration.ofMinutes(5), 30, false, Duration.ofSeconds(30), TlsConfig.defaults());
    }

    /** STARTTLS: PEM certificate chain and PEM private key (PKCS#8); both empty = no STARTTLS. */
    public record TlsConfig(String certificate, String key) {
        public TlsConfig {
            Require.present("smtp.tls.certificate", certificate, "a PEM file path or \"\"");
            Require.present("smtp.tls.key", key, "a PEM file path or \"\"");
            if (certificate.isBlank() != key.isBlank()) {
                throw new ConfigException("smtp.tls: expected both certificate and key, or neither");
            }
        }

        static TlsConfig defaults() {
            return new TlsConfig("", "");
        }

        public boolean enabled() {
            return !certificate.isBlank();
        }
    }
}
