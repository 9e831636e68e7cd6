package greyrelay.relay.config;

import greyrelay.db.net.IpNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code smtp.*}: the listener.
 *
 * @param relayDomains         domains we accept mail for, lower case without a trailing dot; {@code .example.com} is
 *                             every subdomain. A single label ({@code com}, {@code .com}) is refused: it would make us
 *                             the MX of a whole top-level domain.
 * @param proxyProtocolTrusted with {@code proxyProtocol}: the networks (load balancers) whose PROXY header is
 *                             believed; required then. Canonical CIDR text ({@code 192.0.2.10/32}).
 * @param listenBacklog        connection attempts the kernel queues before the accept loop takes them (the listen
 *                             backlog); Linux caps it at {@code net.core.somaxconn}
 */
public record SmtpConfig(
        boolean enabled,
        String bind,
        int port,
        String hostname,
        List<String> relayDomains,
        DataSize maxMessageSize,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerIp,
        int listenBacklog,
        Duration commandTimeout,
        int maxHops,
        boolean proxyProtocol,
        List<String> proxyProtocolTrusted,
        Duration shutdownGrace,
        TlsConfig tls) {

    public SmtpConfig {
        Require.present("smtp.bind", bind, "an IP address to listen on, \"::\" for all");
        if (!isIpLiteral(bind)) throw ConfigException.invalid("smtp.bind", "an IP address such as :: or 0.0.0.0 or 192.0.2.1", bind);
        Require.port("smtp.port", port);
        Require.present("smtp.hostname", hostname, "a fully-qualified host name");
        if (!HostNames.isValid(hostname)) throw ConfigException.invalid("smtp.hostname", "a host name such as mx.example.com", hostname);
        hostname = hostname.toLowerCase(Locale.ROOT);
        relayDomains = Require.list("smtp.relayDomains", relayDomains).stream().map(SmtpConfig::relayDomain).toList();
        Require.present("smtp.maxMessageSize", maxMessageSize, "a size such as 25MB");
        if (maxMessageSize.bytes() < 1024 || maxMessageSize.bytes() > Integer.MAX_VALUE) {
            throw ConfigException.invalid("smtp.maxMessageSize", "a size from 1KB to 2047MB", maxMessageSize.toString());
        }
        Require.range("smtp.maxRecipients", maxRecipients, 1, 100_000);
        Require.range("smtp.maxConnections", maxConnections, 1, 100_000);
        Require.range("smtp.maxConnectionsPerIp", maxConnectionsPerIp, 1, 100_000);
        Require.range("smtp.listenBacklog", listenBacklog, 1, 1_000_000);
        Require.duration("smtp.commandTimeout", commandTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        Require.range("smtp.maxHops", maxHops, 1, 1000);
        proxyProtocolTrusted = Require.list("smtp.proxyProtocolTrusted", proxyProtocolTrusted).stream()
                .map(SmtpConfig::trustedNetwork).toList();
        if (proxyProtocol && proxyProtocolTrusted.isEmpty()) {
            throw new ConfigException("smtp.proxyProtocolTrusted: required when smtp.proxyProtocol is on: the networks of the"
                    + " load balancers that may send a PROXY header, such as [192.0.2.10/32]");
        }
        Require.duration("smtp.shutdownGrace", shutdownGrace, Duration.ZERO, Duration.ofHours(1));
        Require.present("smtp.tls", tls, "a section");
    }

    /** The networks of {@link #proxyProtocolTrusted} (validated text, so parsing cannot fail here). */
    public List<IpNetwork> proxyProtocolTrustedNetworks() {
        return proxyProtocolTrusted.stream().map(IpNetwork::parse).toList();
    }

    /**
     * {@code Example.COM.} → {@code example.com}; {@code .sub.example.com} stays a subdomain entry. Refuses what is not a
     * host name and a single label: {@code com} or {@code .com} would accept mail for a whole top-level domain.
     */
    private static String relayDomain(String entry) {
        String d = entry.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith(".") && d.length() > 1) d = d.substring(0, d.length() - 1);
        boolean subdomains = d.startsWith(".");
        String name = subdomains ? d.substring(1) : d;
        if (!HostNames.isValid(name) || name.endsWith(".")) {
            throw ConfigException.invalid("smtp.relayDomains", "domain names such as example.com or .sub.example.com", entry);
        }
        if (!name.contains(".")) {
            throw ConfigException.invalid("smtp.relayDomains", "domain names of two labels or more (not a top-level domain)", entry);
        }
        return d;
    }

    private static String trustedNetwork(String entry) {
        try {
            return IpNetwork.parse(entry).cidr();
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid("smtp.proxyProtocolTrusted", "networks such as 192.0.2.10/32 or 2001:db8::/64", entry);
        }
    }

    /** IPv4 dotted quad or an IPv6 literal: binding must never depend on a DNS lookup. */
    public static boolean isIpLiteral(String s) {
        // by hand, one pass: the policy listener asks for every request. IPv4: four groups of 1 to 3 ASCII digits,
        // each at most 255 (leading zeros allowed); otherwise IPv6-ish: a colon, and only hex digits, colons and dots
        int n = s.length();
        int groups = 1;
        int digits = 0;
        int value = 0;
        boolean quad = n > 0;
        boolean under256 = true;
        boolean colon = false;
        boolean hex = n > 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            if (!digit && !(c >= 'a' && c <= 'f') && !(c >= 'A' && c <= 'F') && c != ':' && c != '.') hex = false;
            if (c == ':') colon = true;
            if (digit) {
                if (++digits > 3) quad = false;
                else value = value * 10 + (c - '0');
            } else if (c == '.') {
                if (digits == 0) quad = false;
                if (value > 255) under256 = false;
                groups++;
                digits = 0;
                value = 0;
            } else {
                quad = false;
            }
        }
        if (digits == 0 || groups != 4) quad = false;
        if (quad) return under256 && value <= 255;
        return colon && hex;
    }

    static SmtpConfig defaults() {
        return new SmtpConfig(true, "::", 2525, HostNames.localHostName(), List.of(), DataSize.ofMegabytes(25), 100, 200, 20, 1024,
                Duration.ofMinutes(5), 30, false, List.of(), Duration.ofSeconds(30), TlsConfig.defaults());
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
