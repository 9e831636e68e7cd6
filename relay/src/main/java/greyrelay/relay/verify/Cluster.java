package greyrelay.relay.verify;

import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.db.verify.DomainFreezes;
import greyrelay.db.verify.ProbeLeases;
import greyrelay.relay.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes on one PostgreSQL database share of verification, or nothing ({@link #single()}: H2, one node, every
 * count in memory as before). Shared: one probe per address at a time ({@link LeasedSingleFlight}), the per-domain and
 * per-address concurrency caps ({@link SharedSlots}), the per-domain probe rate (a Bucket4j bucket in
 * {@code rate_limit_bucket}, the rate limits' {@link RateLimiter#sharedExact} store), the burst freeze ({@link SharedFreezes}).
 * Not shared: the global cap and queue (they protect this node's own resources), the per-domain queues and the
 * per-MX-host budget. Leases last {@code leaseTtl}
 * (longer than one probe), so a node that dies holding them frees them by then.
 */
final class Cluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cluster.class);
    /** How often a node waiting for another node's probe reads the shared cache. */
    static final Duration POLL = Duration.ofMillis(200);
    /** How long a freeze set on another node may go unseen here. */
    static final Duration FREEZE_RECHECK = Duration.ofSeconds(1);

    private final ProbeLeases leases;
    private final DomainFreezes freezes;
    private final String node;
    private final Clock clock;
    private final Duration leaseTtl;
    private final SharedBudget budget;
    private final FreezeStore freezeStore;
    private final Optional<RateLimiter> rates;

    private Cluster(ProbeLeases leases, DomainFreezes freezes, RateLimiter rates, String node, Clock clock,
            Duration leaseTtl) {
        this.leases = leases;
        this.freezes = freezes;
        this.node = node;
        this.clock = clock;
        this.leaseTtl = leaseTtl;
        this.budget = leases == null ? SharedBudget.none() : new SharedSlots(leases, node, clock, leaseTtl);
        this.freezeStore = freezes == null ? FreezeStore.local() : new SharedFreezes(freezes, FREEZE_RECHECK);
        this.rates = Optional.ofNullable(rates);
    }

    /** One node: nothing shared, nothing slower. */
    static Cluster single() {
        return new Cluster(null, null, null, "local", Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * Shared through {@code database} when it is PostgreSQL, else {@link #single()}.
     *
     * @param name     this node's name (in lease rows, with a random run id so a restarted node is a new holder)
     * @param leaseTtl a lease's life: longer than any one probe
     */
    static Cluster of(Database database, String name, Clock clock, Duration leaseTtl) {
        if (database.dialect() != Dialect.POSTGRESQL) return single();
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String node = (name.length() > 80 ? name.substring(0, 80) : name) + "-" + run;
        log.info("verification: shared by the nodes on PostgreSQL (probe leases, per-domain and per-address caps, per-domain"
                + " probe rates, burst freezes) as {}; leases last {}", node, leaseTtl);
        return new Cluster(new ProbeLeases(database), new DomainFreezes(database),
                RateLimiter.sharedExact(database.dataSource(), clock), node, clock, leaseTtl);
    }

    boolean isShared() {
        return leases != null;
    }

    /** This node run's name in lease rows. */
    String node() {
        return node;
    }

    <R> SingleFlight<R> singleFlight(LeasedSingleFlight.Remote<R> remote) {
        return leases == null ? new LocalSingleFlight<>() : new LeasedSingleFlight<>(leases, node, clock, leaseTtl, POLL, remote);
    }

    SharedBudget budget() {
        return budget;
    }

    FreezeStore freezes() {
        return freezeStore;
    }

    /** The per-domain probe rate buckets all nodes take from; empty on one node. */
    Optional<RateLimiter> rates() {
        return rates;
    }

    /** Scheduled upkeep: drop expired leases and ended freezes, in batches; how many rows went. */
    int maintain(Instant now, int batch) {
        if (leases == null) return 0;
        int dropped = 0;
        int n;
        do {
            n = leases.deleteExpired(now, batch);
            dropped += n;
        } while (n == batch);
        do {
            n = freezes.deleteOver(now, batch);
            dropped += n;
        } while (n == batch);
        // the rate limits clean the same table only with rateLimits.shared; full buckets' rows go either way
        return dropped + rates.map(RateLimiter::removeExpired).orElse(0);
    }

    /** Gives back this node's probe leases (at a clean stop; a node that dies loses them at their expiry). */
    @Override
    public void close() {
        if (leases == null) return;
        try {
            leases.releaseAll(node);
        } catch (RuntimeException e) {
            log.warn("verification: leases of {} not given back (free at their expiry): {}", node, e.getMessage());
        }
    }
}
