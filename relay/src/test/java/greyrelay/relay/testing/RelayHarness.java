package greyrelay.relay.testing;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.relay.Relay;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.verify.ProbeRouting;
import java.nio.file.Path;
import java.util.Map;

/**
 * A whole relay for scenario tests: SMTP and admin on port 0, H2 (or a given database) in a temp dir, the fake DNS
 * and the downstream sink as its peers, and a {@link TestClock}. Extra YAML is merged over the test defaults.
 */
public final class RelayHarness implements AutoCloseable {
    public final TestClock clock;
    public final FakeDnsServer dns;
    public final DownstreamSink downstream;
    public final Relay relay;
    private final Database database;
    private final boolean ownDns;
    private final boolean ownDownstream;

    private RelayHarness(TestClock clock, FakeDnsServer dns, boolean ownDns, DownstreamSink downstream, boolean ownDownstream,
            Database database, Relay relay) {
        this.clock = clock;
        this.dns = dns;
        this.ownDns = ownDns;
        this.downstream = downstream;
        this.ownDownstream = ownDownstream;
        this.database = database;
        this.relay = relay;
    }

    /**
     * The test defaults: relay for example.com, our host name mx.example.com, delivery to the sink, DNS from the fake.
     * Sender and recipient verification are off here (they need DNS data and MX fakes a test must set up); tests of
     * those features turn them on in their own YAML. Tests that turn {@code smtp.proxyProtocol} on send their PROXY
     * header from loopback, which is the trusted load balancer here ({@code smtp.proxyProtocolTrusted}).
     */
    public static String baseYaml(Path dataDir, int dnsPort, int downstreamPort) {
        // refusedTargets: [] because scripted MXs listen on loopback, and test hosts may own documentation addresses
        // (192.0.2.2 on some CI machines): tests of the refused networks set the list themselves
        return """
                dataDir: %s
                smtp:
                  bind: 127.0.0.1
                  port: 0
                  hostname: %s
                  relayDomains: [%s]
                  proxyProtocolTrusted: [127.0.0.0/8, "::1/128"]
                  shutdownGrace: 2s
                downstream:
                  host: 127.0.0.1
                  port: %d
                  tls: none
                  connectTimeout: 2s
                  replyTimeout: 10s
                queue:
                  retrySchedule: [1m, 5m, 15m]
                dns:
                  servers: ["127.0.0.1:%d"]
                  timeout: 1s
                  attempts: 1
                admin:
                  port: 0
                verification:
                  enabled: false
                  refusedTargets: []
                recipientVerification:
                  enabled: false
                """.formatted(dataDir, Examples.RELAY_HOSTNAME, Examples.OUR_DOMAIN, downstreamPort, dnsPort);
    }

    public static RelayHarness start(Path dataDir, String extraYaml) throws Exception {
        FakeDnsServer dns = FakeDnsServer.start();
        DownstreamSink sink = DownstreamSink.start();
        return start(dataDir, extraYaml, new TestClock(), dns, true, sink, true, TestDatabases.h2(dataDir), null);
    }

    /** With probes routed by the test: MX addresses from the fake DNS mapped to scripted MX servers on loopback. */
    public static RelayHarness start(Path dataDir, String extraYaml, ProbeRouting routing) throws Exception {
        FakeDnsServer dns = FakeDnsServer.start();
        DownstreamSink sink = DownstreamSink.start();
        return start(dataDir, extraYaml, new TestClock(), dns, true, sink, true, TestDatabases.h2(dataDir), routing);
    }

    /** For multi-node scenarios: shared clock, DNS, downstream and database; the caller closes those. */
    public static RelayHarness start(Path dataDir, String extraYaml, TestClock clock, FakeDnsServer dns, DownstreamSink sink,
            Database database) throws Exception {
        return start(dataDir, extraYaml, clock, dns, false, sink, false, database, null);
    }

    /** For multi-node scenarios with probes routed by the test; the caller closes the shared parts. */
    public static RelayHarness start(Path dataDir, String extraYaml, TestClock clock, FakeDnsServer dns, DownstreamSink sink,
            Database database, ProbeRouting routing) throws Exception {
        return start(dataDir, extraYaml, clock, dns, false, sink, false, database, routing);
    }

    private static RelayHarness start(Path dataDir, String extraYaml, TestClock clock, FakeDnsServer dns, boolean ownDns,
            DownstreamSink sink, boolean ownSink, Database database, ProbeRouting routing) throws Exception {
        RelayConfig config = config(dataDir, extraYaml, dns.address().getPort(), sink.port());
        Relay relay = (routing == null ? Relay.create(config, clock, database) : Relay.create(config, clock, database, routing)).start();
        return new RelayHarness(clock, dns, ownDns, sink, ownSink, database, relay);
    }

    public static RelayConfig config(Path dataDir, String extraYaml, int dnsPort, int downstreamPort) {
        String base = baseYaml(dataDir, dnsPort, downstreamPort);
        RelayConfig merged = ConfigLoader.fromYaml(base, Map.of());
        if (extraYaml == null || extraYaml.isBlank()) return merged;
        return ConfigLoader.fromYamlLayers(java.util.List.of(base, extraYaml), Map.of());
    }

    public int smtpPort() {
        return relay.smtpPort();
    }

    public SmtpConversation connect() throws java.io.IOException {
        return SmtpConversation.open(relay.smtpPort());
    }

    /** Delivers whatever is due now and waits for it. */
    public void deliverDue() {
        relay.queue().runDue();
    }

    @Override
    public void close() {
        relay.close();
        if (ownDownstream) downstream.close();
        if (ownDns) dns.close();
        if (ownDns) database.close(); // we opened it in start(dataDir, yaml)
    }
}
