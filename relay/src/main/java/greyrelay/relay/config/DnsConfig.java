package greyrelay.relay.config;

import java.time.Duration;
import java.util.List;

/** {@code dns.*}: the resolver every DNS-based check uses. */
public record DnsConfig(List<String> servers, Duration timeout, int attempts) {
    public DnsConfig {
        servers = Require.list("dns.servers", servers);
        for (String s : servers) HostPort.parse("dns.servers", s, 53);
        Require.duration("dns.timeout", timeout, Duration.ofMillis(50), Duration.ofSeconds(60));
        Require.range("dns.attempts", attempts, 1, 10);
    }

    static DnsConfig defaults() {
        return new DnsConfig(List.of(), Duration.ofSeconds(3), 2);
    }
}
