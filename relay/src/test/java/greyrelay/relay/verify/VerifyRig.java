package greyrelay.relay.verify;

import greyrelay.db.Database;
import greyrelay.db.testing.TestDatabases;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.SessionFacts;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.policy.Transaction;
import greyrelay.relay.policy.Verdict;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.testing.DownstreamSink;
import greyrelay.relay.testing.FakeDnsServer;
import greyrelay.relay.testing.RelayHarness;
import greyrelay.relay.testing.ScriptedMx;
import greyrelay.relay.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Verification wired as Relay wires it, over real parts: fake DNS, scripted MX servers on loopback (routed by their
 * documentation addresses), a downstream sink, H2 in a temp dir, a test clock. Settings come from YAML like an
 * operator's.
 */
final class VerifyRig implements AutoCloseable {
    static final String BASE = """
            verification:
              enabled: true
              maxWait: 3s
              confirmAfter: 1h
              timeouts: {inlineConnect: 500ms, inlineReply: 700ms, backgroundConnect: 1s, backgroundReply: 2s}
            recipientVerification:
              enabled: false
            """;

    /** The default {@code verification.refusedTargets}, without this host's addresses. */
    static final RefusedTargets DEFAULT_REFUSED = RefusedTargets.of(greyrelay.relay.config.VerificationConfig.DEFAULT_REFUSED_TARGETS
            .stream().map(greyrelay.db.net.IpNetwork::parse).toList(), List.of());

    final TestClock clock = new TestClock();
    final FakeDnsServer dns = FakeDnsServer.start();
    final DownstreamSink downstream = DownstreamSink.start();
    final Database database;
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final Map<String, ScriptedMx> mxByIp = new java.util.concurrent.ConcurrentHashMap<>();
    final List<ScriptedMx> servers = new ArrayList<>();
    final RelayConfig config;
    final Verification verification;
    private final AtomicInteger sessions = new AtomicInteger();

    VerifyRig(Path dir, String yaml) {
        this(dir, yaml, false);
    }

    /** @param ipv6 whether this host may probe IPv6 addresses */
    VerifyRig(Path dir, String yaml, boolean ipv6) {
        database = TestDatabases.h2(dir);
        List<String> layers = new ArrayList<>(List.of(RelayHarness.baseYaml(dir, dns.address().getPort(), downstream.port()), BASE));
        if (yaml != null) layers.add(yaml);
        config = ConfigLoader.fromYamlLayers(layers, Map.of());
        verification = Verification.create(config, clock,
                new DnsJavaResolver(List.of(dns.address()), Duration.ofMillis(300), 1), database, metrics,
                ScriptedMx.routing(mxByIp), () -> ipv6, new Random(1));
    }

    /** A scripted MX for {@code domain} at {@code ip} (a documentation address), preference 10. */
    ScriptedMx mx(String domain, String ip) {
        return mx(domain, "mx." + domain, 10, ip);
    }

    ScriptedMx mx(String domain, String host, int preference, String ip) {
        ScriptedMx mx = ScriptedMx.start();
        servers.add(mx);
        dns.mx(domain, preference, host).a(host, ip);
        mxByIp.put(ip, mx);
        return mx;
    }

    SenderVerificationCheck senderCheck() {
        return verification.senderCheck();
    }

    SenderVerifier verifier() {
        return verification.senderVerifier();
    }

    /** A new connection's notes. */
    SessionNotes connection() {
        return new SessionNotes();
    }

    PolicyRequest.Rcpt rcpt(String sender, Exemption... exemptions) {
        return rcpt(sender, connection(), exemptions);
    }

    PolicyRequest.Rcpt rcpt(String sender, SessionNotes notes, Exemption... exemptions) {
        return rcptTo(sender, "john@example.com", notes, exemptions);
    }

    PolicyRequest.Rcpt rcptTo(String sender, String recipient, SessionNotes notes, Exemption... exemptions) {
        try {
            String id = "s" + sessions.incrementAndGet();
            SessionFacts facts = new SessionFacts(id, InetAddress.getByName("192.0.2.10"), 40000, Optional.of("client.example.org"),
                    false, clock.instant());
            Transaction tx = new Transaction(id + ".1", Sender.parse(sender).orElseThrow(), OptionalLong.empty());
            EnumSet<Exemption> set = EnumSet.noneOf(Exemption.class);
            Collections.addAll(set, exemptions);
            return new PolicyRequest.Rcpt(facts, notes, tx, recipient, Mailbox.parse(recipient).orElse(null), set);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    Verdict check(String sender) {
        return senderCheck().evaluate(rcpt(sender));
    }

    /** Waits (polling, at most 15 s) until no background start and no probe is in progress, then flushes the history. */
    void awaitIdle() {
        Awaitility.await("background probes finish").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
                .until(() -> verifier().inProgress() == 0);
        history().flush();
    }

    /** Waits (polling, at most 10 s) for background work to reach a state; the test then asserts the structure. */
    void await(java.util.function.BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
    }

    ProbeLogWriter history() {
        return verification.historyWriter();
    }

    Optional<CacheEntry> cached(String address) {
        return new VerificationCache(database).find(CacheKind.SENDER, address);
    }

    Optional<DomainProfile> profile(String domain) {
        return new DomainProfiles(database).find(domain);
    }

    List<ProbeRecord> probes(ProbeQuery q) {
        history().flush();
        return new ProbeLog(database).search(q);
    }

    double counter(String name, String... tags) {
        var c = metrics.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Override
    public void close() {
        verification.close();
        servers.forEach(ScriptedMx::close);
        downstream.close();
        dns.close();
        database.close();
    }
}
