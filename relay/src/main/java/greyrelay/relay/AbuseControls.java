package greyrelay.relay;

import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.db.ratelimit.RateLimitOverrides;
import greyrelay.relay.config.DnsblConfig;
import greyrelay.relay.config.HygieneConfig;
import greyrelay.relay.config.RateLimitsConfig;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dnsbl.DnsListCheck;
import greyrelay.relay.dnsbl.DnsListLookup;
import greyrelay.relay.dnsbl.DnsblRejectCheck;
import greyrelay.relay.hygiene.HeloCheck;
import greyrelay.relay.hygiene.HeloPolicy;
import greyrelay.relay.hygiene.LocalAddresses;
import greyrelay.relay.hygiene.PregreetCheck;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.ratelimit.ConnectionRateCheck;
import greyrelay.relay.ratelimit.NetworkConnectionLimitCheck;
import greyrelay.relay.ratelimit.Overrides;
import greyrelay.relay.ratelimit.RateLimitCheck;
import greyrelay.relay.ratelimit.RateLimitPolicy;
import greyrelay.relay.ratelimit.RateLimiter;
import greyrelay.relay.smtp.ConnectionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Part of {@link Relay}'s hand wiring, kept apart so the wiring of rate limits, connection hygiene and DNS lists is
 * one call in Relay: which checks exist (a limit or list switched off is not in the pipeline at all, so the startup
 * log shows what really runs), in DESIGN.md's order, each in its section's mode.
 */
final class AbuseControls {
    private static final Logger log = LoggerFactory.getLogger(AbuseControls.class);

    private final List<Pipeline.Step<PolicyRequest.Connect>> connect = new ArrayList<>();
    private final List<Pipeline.Step<PolicyRequest.Rcpt>> rcptListsAndHelo = new ArrayList<>();
    private final List<Pipeline.Step<PolicyRequest.Rcpt>> rcptRates = new ArrayList<>();
    private final RateLimiter limiter;
    private final Overrides overrides;

    AbuseControls(RelayConfig config, Clock clock, Database database, Dns dns, ConnectionCounter connections,
            MeterRegistry metrics) {
        String hostname = config.smtp().hostname();
        RateLimitsConfig rl = config.rateLimits();
        HygieneConfig hy = config.hygiene();
        DnsblConfig bl = config.dnsbl();

        boolean shared = rl.shared() && database.dialect() == Dialect.POSTGRESQL;
        this.limiter = shared ? RateLimiter.shared(database.dataSource(), clock) : RateLimiter.local(clock, rl.localBuckets());
        if (!shared) Gauge.builder("greyrelay.ratelimit.buckets", limiter, RateLimiter::size).register(metrics);
        this.overrides = new Overrides(new RateLimitOverrides(database)::list, clock, rl.overrideRefresh(), metrics);
        RateLimitPolicy policy = new RateLimitPolicy(rl);
        DnsListLookup lookup = new DnsListLookup(dns, bl.timeout(), metrics);
        var lists = bl.entries();
        boolean anyReject = lists.stream().anyMatch(l -> l.action() == DnsblConfig.Action.REJECT);

        // connect: (connection limits, in Relay) → per-network concurrency → connection rate → pre-greeting → DNSBL reject
        if (rl.enabled()) {
            connect.add(new Pipeline.Step<>(new NetworkConnectionLimitCheck(connections, policy.network(),
                    rl.maxConnectionsPerNetwork(), hostname, metrics), rl.mode()));
            connect.add(new Pipeline.Step<>(new ConnectionRateCheck(limiter, policy, overrides, hostname, metrics), rl.mode()));
        }
        if (!hy.greetingDelay().isZero()) connect.add(new Pipeline.Step<>(new PregreetCheck(hy.greetingDelay(), metrics), hy.mode()));
        if (anyReject) connect.add(new Pipeline.Step<>(new DnsblRejectCheck(lookup, lists), bl.mode()));

        // RCPT step 6: DNS lists, HELO; step 7: rate limits
        if (!lists.isEmpty()) rcptListsAndHelo.add(new Pipeline.Step<>(new DnsListCheck(lookup, lists), bl.mode()));
        if (hy.rejectInvalidHelo() || hy.rejectNonFqdnHelo() || hy.rejectOurHelo()) {
            rcptListsAndHelo.add(new Pipeline.Step<>(new HeloCheck(new HeloPolicy(hostname,
                    LocalAddresses.ofThisHost(hy.ourAddresses())), hy), hy.mode()));
        }
        if (rl.enabled()) rcptRates.add(new Pipeline.Step<>(new RateLimitCheck(limiter, policy, overrides, metrics), rl.mode()));
        log.info("rate limits: {}, buckets {}; DNS lists: {}", rl.enabled() ? "on" : "off", limiter,
                lists.isEmpty() ? "none" : bl.lists());
    }

    /** After the foundation's connection limits. */
    List<Pipeline.Step<PolicyRequest.Connect>> connectSteps() {
        return List.copyOf(connect);
    }

    /** RCPT step 6. */
    List<Pipeline.Step<PolicyRequest.Rcpt>> rcptStep6() {
        return List.copyOf(rcptListsAndHelo);
    }

    /** RCPT step 7. */
    List<Pipeline.Step<PolicyRequest.Rcpt>> rcptStep7() {
        return List.copyOf(rcptRates);
    }

    /** For the admin panel: reload overrides at the next check after an edit in this process. */
    Overrides overrides() {
        return overrides;
    }

    /** Scheduled: drop shared bucket rows that are full again. */
    void removeExpiredBuckets() {
        try {
            int n = limiter.removeExpired();
            if (n > 0) log.info("rate limits: {} expired bucket row(s) removed", n);
        } catch (RuntimeException e) {
            log.warn("rate limits: bucket cleanup failed: {}", e.getMessage());
        }
    }

    @SafeVarargs
    static <T> List<T> concat(List<? extends T>... parts) {
        List<T> out = new ArrayList<>();
        for (List<? extends T> p : parts) out.addAll(p);
        return out;
    }
}
