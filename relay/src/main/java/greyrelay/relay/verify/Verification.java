package greyrelay.relay.verify;

import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.VerificationCache;
import greyrelay.db.verify.VouchStore;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.DownstreamConfig;
import greyrelay.relay.config.Durations;
import greyrelay.relay.config.HostPort;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.smtpclient.ClientLimits;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callback verification, wired from the configuration: its checks by name ({@code recipient-verification},
 * {@code sender-domain}, {@code sender-verification}; the check table places them), the greylisting hook ({@link #senderCheck()}{@code ::prefetch}) and the scheduled
 * maintenance (history retention, expired cache rows, stale profiles, idle scheduler lanes). Relay builds one and
 * closes it.
 */
public final class Verification implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Verification.class);
    private static final int BATCH = 1000;
    static final java.time.Duration LEASE_MARGIN = java.time.Duration.ofSeconds(30);

    private final RelayConfig config;
    private final Clock clock;
    private final ProbeLogWriter history;
    private final ProbeLog probeLog;
    private final VerdictMemo cache;
    private final DomainProfiles profiles;
    private final ProbeScheduler scheduler;
    private final Cluster cluster;
    private final SenderVerifier senderVerifier;
    private final RecipientVerifier recipientVerifier;
    private final SenderVerificationCheck senderCheck;
    private final SenderDomainCheck senderDomainCheck;
    private final RecipientVerificationCheck recipientCheck;
    private final VouchBook vouches;

    private Verification(RelayConfig config, Clock clock, Dns dns, Database database, MeterRegistry metrics,
            ProbeRouting routing, BooleanSupplier ipv6, Random random) {
        this.config = config;
        this.clock = clock;
        VerificationConfig v = config.verification();
        String hostname = config.smtp().hostname();
        this.probeLog = new ProbeLog(database);
        this.cache = new VerdictMemo(new VerificationCache(database), clock, database.dialect() == Dialect.H2);
        this.profiles = new DomainProfiles(database);
        this.history = new ProbeLogWriter(probeLog, metrics);
        RefusedTargets refused = RefusedTargets.of(v.refusedTargetNetworks(), RefusedTargets.ownAddresses());
        MxSelection selection = new MxSelection(dns, random, ipv6, refused);
        Prober prober = new Prober(selection, routing, new Prober.Settings(hostname, v.mailFrom(), v.maxMxAttempts()), random);
        // a lease outlives any one probe (probeTotal bounds it) with room for a slow database round trip
        this.cluster = Cluster.of(database, hostname, clock, v.timeouts().probeTotal().plus(LEASE_MARGIN));
        this.scheduler = new ProbeScheduler(ProbeScheduler.Limits.from(v.budget()), clock, metrics, cluster.budget(),
                cluster.freezes(), cluster.rates());
        ClientLimits inline = ClientLimits.defaults().withConnectTimeout(v.timeouts().inlineConnect())
                .withReplyTimeout(v.timeouts().inlineReply()).withDataTimeout(v.timeouts().inlineReply());
        ClientLimits background = ClientLimits.defaults().withConnectTimeout(v.timeouts().backgroundConnect())
                .withReplyTimeout(v.timeouts().backgroundReply()).withDataTimeout(v.timeouts().backgroundReply());
        ProbeHistory probeHistory = new ProbeHistory(history, metrics, config.nodeName(), v.logCacheHits());
        CachePolicy senderPolicy = new CachePolicy(CachePolicy.Lifetimes.from(v));
        this.senderVerifier = new SenderVerifier(prober, scheduler, senderPolicy,
                new AnswerPolicy(senderPolicy, v.cache().profileTtl()), cache, new ProfileBook(profiles), probeHistory, clock,
                metrics, new SenderVerifier.Settings(inline, background, v.randomAddressCheck(), v.budget().perConnection(),
                        v.timeouts().probeTotal()), cluster);
        this.vouches = new VouchBook(new VouchStore(database),
                new NetworkPrefixes(config.greylist().ipv4Prefix(), config.greylist().ipv6Prefix()), config.greylist().maxAge(),
                clock, metrics);
        this.senderCheck = new SenderVerificationCheck(senderVerifier, v.maxWait(), v.unverifiable(), v.unprobeable(),
                Vouching.from(v), vouches);
        this.senderDomainCheck = new SenderDomainCheck(selection);
        this.recipientVerifier = new RecipientVerifier(prober, downstreamRoute(config.downstream()), cache,
                new CachePolicy(CachePolicy.Lifetimes.forRecipients(config.recipientVerification())), probeHistory, clock,
                RecipientVerifier.Settings.from(config.recipientVerification()));
        this.recipientCheck = new RecipientVerificationCheck(recipientVerifier);
    }

    /** A dry run's twin of {@code live}: the same verifiers and stores, other lookups, vouching read only. */
    private Verification(Verification live, boolean probe, MeterRegistry metrics) {
        this.config = live.config;
        this.clock = live.clock;
        this.history = live.history;
        this.probeLog = live.probeLog;
        this.cache = live.cache;
        this.profiles = live.profiles;
        this.scheduler = live.scheduler;
        this.cluster = live.cluster;
        this.senderVerifier = live.senderVerifier;
        this.recipientVerifier = live.recipientVerifier;
        this.vouches = live.vouches.readOnly(metrics);
        VerificationConfig v = config.verification();
        this.senderCheck = new SenderVerificationCheck(senderVerifier, probe ? senderVerifier::verify : senderVerifier::fromCache,
                v.maxWait(), v.unverifiable(), v.unprobeable(), Vouching.from(v), vouches);
        this.senderDomainCheck = live.senderDomainCheck;
        this.recipientCheck = new RecipientVerificationCheck(probe ? recipientVerifier::verify : recipientVerifier::fromCache);
    }

    /**
     * The same checks on the same state for a dry run ({@code greyrelay check}): verdicts come from the cache alone
     * and nothing is written; with {@code probe} a verdict the cache lacks is probed for real (the probe is cached and
     * recorded as any probe is). Vouching is read, never learned. Not to be closed: the live verification owns it all.
     */
    public Verification dryRun(boolean probe, MeterRegistry metrics) {
        return new Verification(this, probe, metrics);
    }

    /**
     * @param routing where probes connect: {@code ProbeRouting.port(verification.probePort)} in production, scripted
     *                MX servers in tests
     */
    public static Verification create(RelayConfig config, Clock clock, Dns dns, Database database, MeterRegistry metrics,
            ProbeRouting routing) {
        return new Verification(config, clock, dns, database, metrics, routing, ipv6(config.verification().ipv6()),
                new SecureRandom());
    }

    /** {@code recipient-verification} (RCPT): asks the downstream whether the recipient exists. */
    public RecipientVerificationCheck recipientCheck() {
        return recipientCheck;
    }

    /** {@code sender-domain} (RCPT): the sender's domain must be able to receive bounces. */
    public SenderDomainCheck senderDomainCheck() {
        return senderDomainCheck;
    }

    /** {@code sender-verification} (RCPT); its {@code prefetch} is the greylisting check's first-sight hook. */
    public SenderVerificationCheck senderCheck() {
        return senderCheck;
    }

    /** The greylisting hook: starts a background probe of the request's sender; never blocks. */
    public void prefetch(PolicyRequest.Rcpt request) {
        if (config.verification().enabled()) senderCheck.prefetch(request);
    }

    /**
     * An administrator's "verify again now": probes the address afresh in the background, through the same verifiers,
     * scheduler and budgets as mail; refused while that kind of verification is off.
     */
    public Reprobe reprobe(CacheKind kind, Mailbox address) {
        return switch (kind) {
            case SENDER -> config.verification().enabled() ? senderVerifier.reprobe(address)
                    : new Reprobe.Refused("sender verification is off (verification.enabled: false)");
            case RECIPIENT -> config.recipientVerification().enabled() ? recipientVerifier.reprobe(address)
                    : new Reprobe.Refused("recipient verification is off (recipientVerification.enabled: false)");
        };
    }

    /**
     * Forgets the cached verdict, so the next mail from (or to) the address is probed again; whether there was one. A
     * probe of the address still running stores its result when it ends.
     */
    public boolean forget(CacheKind kind, String address) {
        return cache.delete(kind, address);
    }

    /** The probe queue now, for the panel. */
    public ProbeScheduler.Snapshot queue(int top) {
        return scheduler.snapshot(top);
    }

    /** Whether probes to {@code domain} are paused by a burst freeze right now (read from the scheduler). */
    public boolean isFrozen(String domain) {
        return scheduler.isFrozen(domain);
    }

    /** The end of {@code domain}'s burst freeze while it lasts (this node's scheduler); empty when not frozen. */
    public Optional<Instant> frozenUntil(String domain) {
        Instant now = clock.instant();
        return scheduler.domain(domain).map(ProbeScheduler.DomainState::frozenUntil).filter(now::isBefore);
    }

    /** What freezes a domain, in one line (the panel's domain page). */
    public String freezeReason() {
        VerificationConfig.Budget b = config.verification().budget();
        return "a burst of " + b.burstLocalParts() + " distinct new local parts within " + Durations.format(b.burstWindow())
                + " (a forged-sender run); probes pause for " + Durations.format(b.burstFreeze());
    }

    /** Scheduled upkeep: trim the history, drop expired verdicts and stale profiles, forget idle lanes. */
    public void maintain() {
        Instant now = clock.instant();
        try {
            Instant cutoff = now.minus(config.verification().historyRetention());
            int history = drain(n -> probeLog.deleteOlderThan(cutoff, n));
            int expired = drain(n -> cache.deleteExpired(now, n));
            Instant stale = now.minus(config.verification().cache().profileTtl());
            int profilesDropped = drain(n -> profiles.deleteUnchangedSince(stale, n));
            int lanes = scheduler.sweep();
            int shared = cluster.maintain(now, BATCH);
            int vouching = vouches.trim(BATCH);
            log.info("verification cleanup: {} history row(s) older than {}, {} expired verdict(s), {} stale profile(s), {} idle lane(s), {} expired lease(s), freeze(s) and full shared bucket(s), {} idle vouching row(s) dropped",
                    history, cutoff, expired, profilesDropped, lanes, shared, vouching);
        } catch (RuntimeException e) {
            log.warn("verification cleanup failed: {}", e.getMessage());
        }
    }

    private static int drain(Function<Integer, Integer> batch) {
        int total = 0;
        int n;
        do {
            n = batch.apply(BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }

    @Override
    public void close() {
        senderVerifier.close();
        cluster.close();
        history.close();
    }

    /** Recipient domain → the downstream to ask, per {@code downstream.routes} (as delivery routes it). */
    static Function<String, InetSocketAddress> downstreamRoute(DownstreamConfig d) {
        return domain -> {
            String key = domain.toLowerCase(Locale.ROOT);
            HostPort target = new HostPort(d.host(), d.port());
            for (Map.Entry<String, String> e : d.routes().entrySet()) {
                String k = e.getKey();
                boolean match = k.startsWith(".") ? key.endsWith(k) && key.length() > k.length() : key.equals(k);
                if (match) {
                    target = HostPort.parse("downstream.routes", e.getValue(), 25);
                    break;
                }
            }
            return new InetSocketAddress(target.host(), target.port());
        };
    }

    /** {@code verification.ipv6}: {@code auto} means "this host has a global IPv6 address", looked at once. */
    static BooleanSupplier ipv6(VerificationConfig.Ipv6 setting) {
        return switch (setting) {
            case ON -> () -> true;
            case OFF -> () -> false;
            case AUTO -> {
                boolean has = hasGlobalIpv6();
                log.info("verification: IPv6 MX addresses {} (verification.ipv6: auto)", has ? "will be probed" : "skipped, no global IPv6 address here");
                yield () -> has;
            }
        };
    }

    private static boolean hasGlobalIpv6() {
        try {
            List<NetworkInterface> interfaces = Collections.list(NetworkInterface.getNetworkInterfaces());
            List<InetAddress> found = new ArrayList<>();
            for (NetworkInterface ni : interfaces) {
                if (!ni.isUp() || ni.isLoopback()) continue;
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (a instanceof Inet6Address && !a.isLinkLocalAddress() && !a.isSiteLocalAddress() && !a.isLoopbackAddress()
                            && (a.getAddress()[0] & 0xfe) != 0xfc) {
                        found.add(a);
                    }
                }
            }
            return !found.isEmpty();
        } catch (SocketException e) {
            return false;
        }
    }

    /** The sender verifier behind the checks (its work in progress, for the package's tests). */
    SenderVerifier senderVerifier() {
        return senderVerifier;
    }

    /** Writes the probe-history rows still buffered, so a reader sees every probe and cache answer so far. */
    public void flushHistory() {
        history.flush();
    }

    /** The probe history's writer (to flush it before reading the history, for the package's tests). */
    ProbeLogWriter historyWriter() {
        return history;
    }

    /** Test seam for a fixed random and IPv6 setting. */
    static Verification create(RelayConfig config, Clock clock, Dns dns, Database database, MeterRegistry metrics,
            ProbeRouting routing, BooleanSupplier ipv6, Random random) {
        return new Verification(config, clock, dns, database, metrics, routing, ipv6, random);
    }

}
