package greyrelay.relay;

import greyrelay.db.Database;
import greyrelay.db.whitelist.WhitelistStore;
import greyrelay.relay.access.RelayDomains;
import greyrelay.relay.checks.CheckTable;
import greyrelay.relay.checks.DryRun;
import greyrelay.relay.config.RelayConfig;
import greyrelay.relay.dns.CachingDns;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.greylist.GreylistCheck;
import greyrelay.relay.greylist.Greylisting;
import greyrelay.relay.policy.OpenConnections;
import greyrelay.relay.ratelimit.RateLimits;
import greyrelay.relay.verify.ProbeRouting;
import greyrelay.relay.verify.Verification;
import greyrelay.relay.whitelist.Whitelisting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiPredicate;

/**
 * {@code greyrelay check} when no relay runs: the check table built on the database the configuration names, as the
 * relay builds it, with no listener (no open connections) and the in-memory rate-limit buckets of a relay just started
 * (full; shared PostgreSQL buckets are read as they are). Only its {@link DryRun} is used, so nothing is written;
 * close it to stop verification's threads. The database stays the caller's.
 */
public final class OfflineDryRun implements AutoCloseable {
    /** No listener here: nobody is connected. */
    private static final OpenConnections NONE = new OpenConnections() {
        @Override
        public int total() {
            return 0;
        }

        @Override
        public int of(InetAddress client) {
            return 0;
        }

        @Override
        public int inNetwork(InetAddress client, BiPredicate<InetAddress, InetAddress> sameNetwork) {
            return 0;
        }
    };

    private final Verification verification;
    private final DryRun dryRun;

    private OfflineDryRun(Verification verification, DryRun dryRun) {
        this.verification = verification;
        this.dryRun = dryRun;
    }

    public static OfflineDryRun open(RelayConfig config, Database database, Clock clock) {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        CachingDns dns = new CachingDns(new DnsJavaResolver(Relay.dnsServers(config), config.dns().timeout(), config.dns().attempts()),
                clock, Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMinutes(1), 10_000);
        Verification verification = Verification.create(config, clock, dns, database, metrics,
                ProbeRouting.port(config.verification().probePort()));
        try {
            CheckTable table = new CheckTable(config, clock, dns, metrics, NONE, new RelayDomains(config.smtp().relayDomains()),
                    new CheckTable.Features(
                            Whitelisting.create(config.greylist(), new WhitelistStore(database), dns, clock.instant(), metrics),
                            Greylisting.create(config.greylist(), database, clock, metrics, config.smtp().hostname(), Relay.version(),
                                    GreylistCheck.FirstSight.NONE),
                            verification, RateLimits.create(config.rateLimits(), database, clock, metrics)));
            return new OfflineDryRun(verification, new DryRun(table, clock));
        } catch (RuntimeException e) {
            verification.close();
            throw e;
        }
    }

    public DryRun dryRun() {
        return dryRun;
    }

    @Override
    public void close() {
        verification.close();
    }
}
