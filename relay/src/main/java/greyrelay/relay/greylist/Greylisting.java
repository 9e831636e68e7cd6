package greyrelay.relay.greylist;

import greyrelay.db.Database;
import greyrelay.db.Dialect;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.config.Mode;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.PolicyRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The greylisting feature, wired from {@code greylist.*}: its checks by name and its cleanup schedule. The check
 * table places the checks, in {@code greylist.mode}, and leaves them all out with {@code greylist.enabled: false}
 * (whitelists live apart and still grant their other exemptions). Owns the thread that writes greylist entries in
 * batches: {@link #close} it before the database.
 */
public final class Greylisting implements AutoCloseable {
    static final int CLEANUP_BATCH = 1000;
    static final int CLEANUP_MAX_BATCHES = 200;

    private final GreylistConfig config;
    private final Triplet.Keying keying;
    private final Greylister greylister;
    private final Spamtraps traps;
    private final GreylistCleanup cleanup;
    private final Clock clock;
    private final GreylistCheck.FirstSight firstSight;
    private final GreylistHeader header;

    /** A dry run's twin of {@code live}: read-only greylister and traps, no first-sight hook, counters nobody reads. */
    private Greylisting(Greylisting live, MeterRegistry metrics) {
        this.config = live.config;
        this.clock = live.clock;
        this.firstSight = GreylistCheck.FirstSight.NONE; // a dry run starts no probe
        this.keying = live.keying;
        this.greylister = live.greylister.readOnly(metrics);
        this.traps = live.traps.readOnly(metrics);
        this.cleanup = live.cleanup;
        this.header = live.header;
    }

    /**
     * The same checks on the same state for a dry run ({@code greyrelay check}): triplets are decided without being
     * stored, a spamtrap says what it would block and blocks nothing, and counters go to {@code metrics}.
     */
    public Greylisting dryRun(MeterRegistry metrics) {
        return new Greylisting(this, metrics);
    }

    private Greylisting(GreylistConfig config, GreylistStore store, TrapBlockStore blocks, Clock clock, MeterRegistry metrics,
            String hostname, String version, GreylistCheck.FirstSight firstSight, boolean rememberPassing) {
        this.config = config;
        this.clock = clock;
        this.firstSight = firstSight;
        this.keying = new Triplet.Keying(config.ipv4Prefix(), config.ipv6Prefix(), config.spfDomainKey(), config.privacy());
        GreylistPolicy policy = new GreylistPolicy(config.delay(), config.retryWindow(), config.maxAge(), config.autoWhitelistAfter());
        this.greylister = new Greylister(store, policy, clock, metrics, rememberPassing);
        this.traps = new Spamtraps(config.spamtraps(), blocks, keying, config.trapDuration(), clock, metrics);
        this.cleanup = new GreylistCleanup(store, blocks, clock, CLEANUP_BATCH, CLEANUP_MAX_BATCHES, metrics);
        this.header = new GreylistHeader(version, hostname);
    }

    /**
     * @param firstSight told when a triplet is newly greylisted (callback verification starts its probe there);
     *                   {@link GreylistCheck.FirstSight#NONE} for nothing
     */
    public static Greylisting create(GreylistConfig config, Database database, Clock clock, MeterRegistry metrics,
            String hostname, String version, GreylistCheck.FirstSight firstSight) {
        return new Greylisting(config, new GreylistStore(database), new TrapBlockStore(database), clock, metrics, hostname,
                version, firstSight, database.dialect() == Dialect.H2);
    }

    /** How this relay keys triplets (the admin panel finds a decision's triplet with {@link Triplet.Keying#candidates}). */
    public Triplet.Keying keying() {
        return keying;
    }

    private boolean observe() {
        return config.mode() == Mode.OBSERVE;
    }

    /** {@code spamtrap} (RCPT): a recipient in {@code greylist.spamtraps} blocks the client's network. */
    public Check<PolicyRequest.Rcpt> spamtrapCheck() {
        return new SpamtrapCheck(traps, greylister, clock);
    }

    /** {@code trapped-client} (RCPT): a client whose network a spamtrap blocked is deferred. */
    public Check<PolicyRequest.Rcpt> trappedClientCheck() {
        return new TrappedClientCheck(traps, greylister, clock);
    }

    /** {@code greylist} (RCPT): triplet greylisting, telling the first-sight hook. */
    public Check<PolicyRequest.Rcpt> greylistCheck() {
        return new GreylistCheck(greylister, keying, clock, firstSight, observe(), header, new greyrelay.relay.policy.Replies.GreylistedText(config.text()));
    }

    /** {@code null-sender-spamtrap} (end of DATA): the null sender's spamtrap recipients. */
    public Check<PolicyRequest.Data> nullSenderSpamtrapCheck() {
        return new NullSenderSpamtrapCheck(traps, greylister, clock);
    }

    /** {@code null-sender-greylist} (end of DATA): the null sender's triplets. */
    public Check<PolicyRequest.Data> nullSenderGreylistCheck() {
        return new NullSenderGreylistCheck(greylister, keying, clock, observe(), header, new greyrelay.relay.policy.Replies.GreylistedText(config.text()));
    }

    /** Waits until the queued greylist writes (first sights, attempts, touches) are in the database: for tests. */
    public void flush() {
        greylister.flush();
    }

    /**
     * Forgets the triplets this node remembers as passing, so the next request of each reads the database: the admin
     * panel in this process deleted one (which one does not matter; a few reads more).
     */
    public void forgetPassing() {
        greylister.forgetPassing();
    }

    /** Writes the queued greylist writes and stops writing: before the database closes. */
    @Override
    public void close() {
        greylister.close();
    }

    /** Runs cleanup every {@code greylist.cleanupInterval} on {@code scheduler} (the first run one interval from now). */
    public void schedule(ScheduledExecutorService scheduler) {
        if (!config.enabled()) return;
        long every = config.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(cleanup, every, every, TimeUnit.MILLISECONDS);
    }
}
