package greyrelay.relay.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code downstream.*}: the MTA that receives accepted mail. */
public record DownstreamConfig(
        String host,
        int port,
        Map<String, String> routes,
        TlsPolicy tls,
        Duration connectTimeout,
        Duration replyTimeout,
        Duration connectionCacheTime) {

    /** STARTTLS towards the downstream. */
    public enum TlsPolicy { OPPORTUNISTIC, REQUIRED, NONE }

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
        Require.present("downstream.tls", tls, "opportunistic, required or none");
        Require.duration("downstream.connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofMinutes(10));
        Require.duration("downstream.replyTimeout", replyTimeout, Duration.ofMillis(100), Duration.ofHours(1));
        Require.duration("downstream.connectionCacheTime", connectionCacheTime, Duration.ZERO, Duration.ofMinutes(5));
    }

    static DownstreamConfig defaults() {
        return new DownstreamConfig("127.0.0.1", 25, Map.of(), TlsPolicy.OPPORTUNISTIC, Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofSeconds(2));
    }
}
