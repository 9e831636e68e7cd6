package greyrelay.relay.faults;

import greyrelay.relay.testing.Examples;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.RelayProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The configuration every fault scenario starts from, and the relay process on it. */
final class FaultRelay {
    private FaultRelay() {}

    /**
     * Relay for example.com delivering to the sink, DNS from the fake, no greylisting, verification or rate limits (the
     * load comes from one address), limits wide enough for the load, a one-second retry schedule, /metrics open.
     */
    static String baseYaml(Path dataDir, FakeDnsServer dns, DownstreamSink sink) {
        return """
                dataDir: %s
                smtp:
                  bind: 127.0.0.1
                  hostname: %s
                  relayDomains: [%s]
                  maxConnections: 5000
                  maxConnectionsPerIp: 5000
                  commandTimeout: 30s
                  shutdownGrace: 2s
                downstream:
                  host: 127.0.0.1
                  port: %d
                  tls: none
                  connectTimeout: 2s
                  replyTimeout: 10s
                queue:
                  retrySchedule: [1s]
                  minFreeSpace: 1MB
                dns:
                  servers: ["127.0.0.1:%d"]
                  timeout: 500ms
                  attempts: 1
                admin:
                  bind: 127.0.0.1
                  metricsOpen: true
                  password: fault-suite-password
                greylist:
                  enabled: false
                verification:
                  enabled: false
                  refusedTargets: []
                recipientVerification:
                  enabled: false
                rateLimits:
                  enabled: false
                """.formatted(dataDir, Examples.RELAY_HOSTNAME, Examples.OUR_DOMAIN, sink.port(), dns.address().getPort());
    }

    static RelayProcess start(Path dataDir, String yaml) throws IOException {
        return RelayProcess.start(dataDir, yaml, Map.of(), List.of("-Xmx256m", "-XX:+UseSerialGC"));
    }
}
