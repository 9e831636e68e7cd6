package greyrelay.relay.greylist;

import greyrelay.db.Database;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.relay.config.GreylistConfig;
import greyrelay.relay.config.Mode;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Pipeline;
import greyrelay.relay.policy.PolicyRequest;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The greylisting feature, wired from {@code greylist.*}: its pipeline steps at their DESIGN.md positions and its
 * cleanup schedule. With {@code greylist.enabled: false} it contributes no steps (whitelists live apart and still
 * grant their other exemptions). Every step runs in {@code greylist.mode}.
 */
public final class Greylisting {
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

    private Greylisting(GreylistConfig config, GreylistStore store, TrapBlockStore blocks, Clock clock, MeterRegistry metrics,
            String hostname, String version, GreylistCheck.FirstSight firstSight) {
        this.config = config;
        this.clock = clock;
        this.firstSight = firstSight;
        this.keying = new Triplet.Keying(config.ipv4Prefix(), config.ipv6Prefix(), config.spfDomainKey());
        GreylistPolicy policy = new GreylistPolicy(config.delay(), config.retryWindow(), config.maxAge(), config.autoWhitelistAfter());
        this.greylister = new Greylister(store, policy, metrics);
        this.traps = new Spamtraps(config.spamtraps(), blocks, keying, config.trapDuration(), metrics);
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
                version, firstSight);
    }

    private <R extends PolicyRequest> Pipeline.Step<R> step(Check<R> check) {
        return new Pipeline.Step<>(check, config.mode());
    }

    private boolean observe() {
        return config.mode() == Mode.OBSERVE;
    }

    /** RCPT steps 3 (spamtrap recipient) and 4 (client blocked by a trap). */
    public List<Pipeline.Step<PolicyRequest.Rcpt>> trapSteps() {
        if (!config.enabled()) return List.of();
        List<Pipeline.Step<PolicyRequest.Rcpt>> steps = new ArrayList<>();
        if (!traps.isEmpty()) steps.add(step(new SpamtrapCheck(traps, greylister, clock)));
        steps.add(step(new TrappedClientCheck(traps, greylister, clock)));
        return steps;
    }

    /** RCPT step 11. */
    public List<Pipeline.Step<PolicyRequest.Rcpt>> greylistSteps() {
        if (!config.enabled()) return List.of();
        return List.of(step(new GreylistCheck(greylister, keying, clock, firstSight, observe(), header)));
    }

    /** End of DATA, after size and loop checks: the null sender's spamtrap and greylisting. */
    public List<Pipeline.Step<PolicyRequest.Data>> dataSteps() {
        if (!config.enabled()) return List.of();
        List<Pipeline.Step<PolicyRequest.Data>> steps = new ArrayList<>();
        if (!traps.isEmpty()) steps.add(step(new NullSenderSpamtrapCheck(traps, greylister, clock)));
        steps.add(step(new NullSenderGreylistCheck(greylister, keying, clock, observe(), header)));
        return steps;
    }

    /** Runs cleanup every {@code greylist.cleanupInterval} on {@code scheduler} (the first run one interval from now). */
    public void schedule(ScheduledExecutorService scheduler) {
        if (!config.enabled()) return;
        long every = config.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(cleanup, every, every, TimeUnit.MILLISECONDS);
    }

    /** One cleanup run now (tests, admin). */
    public GreylistCleanup.Counts cleanupNow() {
        return cleanup.runOnce();
    }

    public Triplet.Keying keying() {
        return keying;
    }
}
