package greyrelay.relay.verify;

import greyrelay.relay.config.VerificationConfig;
import greyrelay.relay.ratelimit.RateLimiter;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fair probe scheduler: who may probe now, who waits, who is told "not now" at once.
 *
 * <ul>
 *   <li>A global cap on probes running at once ({@code maxConcurrent}) and on probes waiting ({@code maxQueued}).</li>
 *   <li>Per sender domain: a concurrency cap, a token-bucket rate (Bucket4j, on the injected clock; in a cluster the
 *       bucket is a row of {@code rate_limit_bucket} shared by every node, through {@link RateLimiter#sharedExact}) and a
 *       bounded waiting queue. A domain whose budget is used up is refused at once ({@link Admission.Refused}); it never makes
 *       another domain wait. Free global slots go to waiting domains round-robin, one probe per domain per turn, so a
 *       domain with a long queue cannot starve one that just arrived.</li>
 *   <li>Per MX host: {@link HostBudget}, asked by the prober before each connection ({@link #hostGate()}).</li>
 *   <li>Burst freeze: {@link BurstFreeze} per domain; while a domain is frozen its probes are refused, and callers
 *       answer from the cache and the domain's profile meanwhile.</li>
 * </ul>
 *
 * <p>Every count is a {@link Slots} and every share of it a {@link Permit}: a waiting probe holds its place in the
 * queue, a running one its global and domain slots until its task returns, so no path can count a probe twice or
 * forget to give its slot back.
 *
 * <p>Tasks run on virtual threads. {@link #submit} never blocks on a probe; it takes a short lock. Thread-safe.
 */
public final class ProbeScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    /** The budget, from {@code verification.budget.*}. */
    public record Limits(int maxConcurrent, int maxQueued, int perDomainConcurrency, int perDomainRate,
            Duration perDomainRatePeriod, int perDomainQueue, int perHostConcurrency, int perHostRate,
            Duration perHostRatePeriod, int burstLocalParts, Duration burstWindow, Duration burstFreeze,
            int perAddressConcurrency, int reservedInline) {

        public Limits {
            if (reservedInline < 0 || reservedInline >= maxConcurrent) {
                throw new IllegalArgumentException("reservedInline must be from 0 to maxConcurrent - 1: " + reservedInline);
            }
        }

        /** Without a per-address cap beyond the per-host one, and no slots kept for inline probes. */
        public Limits(int maxConcurrent, int maxQueued, int perDomainConcurrency, int perDomainRate,
                Duration perDomainRatePeriod, int perDomainQueue, int perHostConcurrency, int perHostRate,
                Duration perHostRatePeriod, int burstLocalParts, Duration burstWindow, Duration burstFreeze) {
            this(maxConcurrent, maxQueued, perDomainConcurrency, perDomainRate, perDomainRatePeriod, perDomainQueue,
                    perHostConcurrency, perHostRate, perHostRatePeriod, burstLocalParts, burstWindow, burstFreeze,
                    perHostConcurrency, 0);
        }

        public static Limits from(VerificationConfig.Budget b) {
            return new Limits(b.maxConcurrent(), b.maxQueued(), b.perDomainConcurrency(), b.perDomainRate(),
                    b.perDomainRatePeriod(), b.perDomainQueue(), b.perHostConcurrency(), b.perHostRate(),
                    b.perHostRatePeriod(), b.burstLocalParts(), b.burstWindow(), b.burstFreeze(),
                    b.perAddressConcurrency(), b.reservedInline());
        }
    }

    /** Work for one probe. {@link #run} is called on a worker thread, or {@link #dropped} if it never will be. */
    public interface Task {
        void run(HostGate gate);

        /**
         * Whether a client waits for this probe. Background probes (prefetch, refresh, retries) never take the last
         * {@code reservedInline} global slots; an inline one may.
         */
        default boolean inline() {
            return true;
        }

        /** The scheduler closed before the task could run. */
        void dropped(String why);
    }

    /** Why a probe was refused. */
    public enum Reason {
        DOMAIN_RATE, DOMAIN_QUEUE_FULL, QUEUE_FULL, FROZEN, CLOSED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What {@link #submit} did with a task. */
    public sealed interface Admission {
        /** Running now. */
        record Started() implements Admission {}

        /** Waiting; {@code position} is its place in its domain's queue (1 = next). */
        record Queued(int position) implements Admission {}

        /** Not taken; the task will never run. */
        record Refused(Reason reason, String why) implements Admission {}
    }

    /** One domain's state, for the panel and the metrics. */
    public record DomainState(String domain, int running, int waiting, Instant frozenUntil) {}

    /** The whole scheduler at one moment. */
    public record Snapshot(int running, int waiting, int domains, List<DomainState> busiest) {}

    private final Limits limits;
    private final Clock clock;
    private final ClockTimeMeter time;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());
    private final Map<String, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    /** Probes running, all domains ({@code maxConcurrent}). */
    private final Slots running;
    /** Probes waiting, all domains ({@code maxQueued}). */
    private final Slots queued;
    private final HostBudget hosts;
    /** Per-domain and per-address caps across the cluster ({@link SharedBudget#none()} on one node). */
    private final SharedBudget shared;
    /** Burst freezes across the cluster ({@link FreezeStore#local()} on one node). */
    private final FreezeStore freezes;
    /** The per-domain rate buckets shared by the cluster; empty on one node, where each lane's bucket counts. */
    private final Optional<RateLimiter> sharedRates;
    private final RateLimiter.Limit domainRate;
    private final Counter refusedShared;
    private final Map<Reason, Counter> refusals = new HashMap<>();
    private final DistributionSummary depthAtAdmission;
    private boolean closed;
    private Instant lastSweep = Instant.MIN;

    /** Beyond this many known domains and hosts, submit sweeps idle ones itself (at most every 10 s). */
    static final int SWEEP_AT = 10_000;

    public ProbeScheduler(Limits limits, Clock clock, MeterRegistry metrics) {
        this(limits, clock, metrics, SharedBudget.none(), FreezeStore.local(), Optional.empty());
    }

    ProbeScheduler(Limits limits, Clock clock, MeterRegistry metrics, SharedBudget shared, FreezeStore freezes,
            Optional<RateLimiter> sharedRates) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.freezes = Objects.requireNonNull(freezes, "freezes");
        this.sharedRates = Objects.requireNonNull(sharedRates, "sharedRates");
        this.domainRate = new RateLimiter.Limit(limits.perDomainRate(), limits.perDomainRatePeriod());
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.time = new ClockTimeMeter(clock);
        this.running = new Slots(limits.maxConcurrent());
        this.queued = new Slots(limits.maxQueued());
        this.hosts = new HostBudget(limits.perHostConcurrency(), limits.perAddressConcurrency(), limits.perHostRate(),
                limits.perHostRatePeriod(), time, metrics);
        for (Reason r : Reason.values()) {
            refusals.put(r, Counter.builder("greyrelay.verify.budget.refusals").tag("scope", r.tag())
                    .description("probes refused by the budget").register(metrics));
        }
        refusedShared = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "cluster")
                .description("probes refused by the budget").register(metrics);
        depthAtAdmission = DistributionSummary.builder("greyrelay.verify.queue.domain.depth")
                .description("the sender domain's waiting probes when a new one was admitted").register(metrics);
        Gauge.builder("greyrelay.verify.queue.waiting", this, s -> s.snapshot(0).waiting()).register(metrics);
        Gauge.builder("greyrelay.verify.queue.running", this, s -> s.snapshot(0).running()).register(metrics);
        Gauge.builder("greyrelay.verify.queue.domains", this, s -> s.snapshot(0).domains())
                .description("sender domains with probes waiting").register(metrics);
        Gauge.builder("greyrelay.verify.queue.domain.max", this, ProbeScheduler::deepestQueue)
                .description("waiting probes of the busiest sender domain").register(metrics);
    }

    /** The per-MX-host budget, for the prober. */
    public HostGate hostGate() {
        return hosts;
    }

    /**
     * Offers a probe of {@code localPart@domain}. Never blocks on other probes.
     *
     * @param localPart counted (case-insensitively) for the burst freeze
     */
    public Admission submit(String domain, String localPart, Task task) {
        Objects.requireNonNull(task, "task");
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<Instant> sharedFreeze = freezes.frozenUntil(key); // before the lock: it may read the database
        // in a cluster the domain's rate token is taken before the lock (a database round trip) and given back below
        // when the probe is refused for another reason; a frozen domain costs no round trip
        SharedToken token = sharedRates.isPresent() && !frozenBeforeLock(key, sharedFreeze) ? takeShared(key) : null;
        Instant froze = null;
        Admission admission;
        Start start = null;
        synchronized (this) {
            decide: {
                if (closed) {
                    admission = refuse(Reason.CLOSED, "the relay is shutting down");
                    break decide;
                }
                Instant now = clock.instant();
                if (lanes.size() + hosts.size() > SWEEP_AT && now.isAfter(lastSweep.plusSeconds(10))) {
                    sweepLocked(now); // many distinct domains between scheduled sweeps: keep memory bounded
                }
                Lane lane = lanes.computeIfAbsent(key, Lane::new);
                sharedFreeze.ifPresent(lane.burst::adopt);
                if (lane.burst.isFrozen(now)) {
                    admission = refuse(Reason.FROZEN, "probes to " + key + " are paused until " + lane.burst.frozenUntil()
                            + " after a burst of new addresses");
                    break decide;
                }
                if (lane.burst.sight(localPart.toLowerCase(Locale.ROOT), now)) {
                    logBurst(lane);
                    froze = lane.burst.frozenUntil();
                    admission = refuse(Reason.FROZEN, "burst of new addresses at " + key + ": probes paused until " + froze);
                    break decide;
                }
                // an inline probe does not wait behind its domain's background probes; the domain's own cap still holds
                boolean startNow = (task.inline() ? lane.waiting.stream().noneMatch(j -> j.task().inline()) : lane.waiting.isEmpty())
                        && lane.running.hasRoom() && hasRoom(task);
                if (!startNow && lane.waiting.size() >= limits.perDomainQueue()) {
                    admission = refuse(Reason.DOMAIN_QUEUE_FULL, key + " has " + lane.waiting.size() + " probes waiting");
                    break decide;
                }
                if (!startNow && !queued.hasRoom()) {
                    admission = refuse(Reason.QUEUE_FULL, queued.inUse() + " probes waiting in total");
                    break decide;
                }
                if (token == null ? !lane.bucket.tryConsume(1) : !token.granted()) {
                    if (token != null) lane.rateRefusedUntil = now.plus(token.retryAfter());
                    admission = refuse(Reason.DOMAIN_RATE, "more than " + limits.perDomainRate() + " probes to " + key
                            + " per " + limits.perDomainRatePeriod() + (token == null ? "" : token.note()));
                    break decide;
                }
                depthAtAdmission.record(lane.waiting.size());
                if (startNow) {
                    start = new Start(lane, task, slot(lane));
                    admission = new Admission.Started();
                } else {
                    lane.waiting.addLast(new Job(task, queued.tryTake().orElseThrow()));
                    if (!lane.inReady) {
                        lane.inReady = true;
                        ready.addLast(lane);
                    }
                    admission = new Admission.Queued(lane.waiting.size());
                }
            }
        }
        if (token != null && token.granted() && admission instanceof Admission.Refused) giveBackShared(key);
        if (froze != null) shareFreeze(key, froze);
        if (start != null) launch(start);
        return admission;
    }

    /** The domain's token from the cluster's bucket: granted, refused (with the wait), or refused uncounted. */
    private record SharedToken(boolean granted, Duration retryAfter, String note) {}

    /** Whether the domain is frozen (shared or here) or the scheduler closed, so no shared token is worth taking. */
    private boolean frozenBeforeLock(String key, Optional<Instant> sharedFreeze) {
        Instant now = clock.instant();
        if (sharedFreeze.filter(now::isBefore).isPresent()) return true;
        synchronized (this) {
            Lane lane = lanes.get(key);
            return closed || lane != null && lane.burst.isFrozen(now);
        }
    }

    /** One token of the domain's shared bucket; when the database cannot count it the probe is throttled. */
    private SharedToken takeShared(String key) {
        try {
            return switch (sharedRates.orElseThrow().take(rateKey(key), domainRate)) {
                case RateLimiter.Take.Granted g -> new SharedToken(true, Duration.ZERO, "");
                case RateLimiter.Take.Refused r -> new SharedToken(false, r.retryAfter(), " on all nodes");
            };
        } catch (RuntimeException e) {
            log.warn("verify: shared probe rate of {} not counted: {}", key, e.getMessage());
            return new SharedToken(false, Duration.ZERO, " (shared rate not counted: database unavailable)");
        }
    }

    private void giveBackShared(String key) {
        try {
            sharedRates.orElseThrow().giveBack(rateKey(key), domainRate);
        } catch (RuntimeException e) {
            log.warn("verify: shared probe rate token of {} not given back: {}", key, e.getMessage());
        }
    }

    private static String rateKey(String domain) {
        return "verify-domain:" + domain;
    }

    /**
     * A cheap look, before any work is spent on a background probe: the reason {@link #submit} would refuse a probe
     * of {@code localPart@domain} now (paused, queue full, rate used up), counted as a refusal; empty when it might be
     * taken. Consumes no token; the local part counts for the burst freeze as in {@link #submit}.
     */
    public Optional<Reason> precheck(String domain, String localPart) {
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<Instant> sharedFreeze = freezes.frozenUntil(key);
        Instant froze = null;
        Reason found;
        synchronized (this) {
            Reason reason = null;
            Lane lane = lanes.get(key);
            Instant now = clock.instant();
            if (lane == null && sharedFreeze.filter(now::isBefore).isPresent()) lane = lanes.computeIfAbsent(key, Lane::new);
            if (lane != null) sharedFreeze.ifPresent(lane.burst::adopt);
            if (closed) {
                reason = Reason.CLOSED;
            } else if (lane != null && lane.burst.isFrozen(now)) {
                reason = Reason.FROZEN;
            } else if (lane != null && lane.burst.sight(localPart.toLowerCase(Locale.ROOT), now)) {
                logBurst(lane);
                froze = lane.burst.frozenUntil();
                reason = Reason.FROZEN;
            } else if (lane != null && lane.waiting.size() >= limits.perDomainQueue() && !lane.waiting.isEmpty()) {
                reason = Reason.DOMAIN_QUEUE_FULL;
            } else if (!queued.hasRoom() && !running.hasRoom()) {
                reason = Reason.QUEUE_FULL;
            } else if (lane != null && (sharedRates.isPresent() ? now.isBefore(lane.rateRefusedUntil)
                    : lane.bucket.getAvailableTokens() < 1)) {
                reason = Reason.DOMAIN_RATE;
            }
            if (reason != null) refusals.get(reason).increment();
            found = reason;
        }
        if (froze != null) shareFreeze(key, froze);
        return Optional.ofNullable(found);
    }

    /** Tells the other nodes (outside the lock: it writes to the database). */
    private void shareFreeze(String domain, Instant until) {
        freezes.freeze(domain, until, limits.burstLocalParts() + " distinct new local parts within " + limits.burstWindow());
    }

    private void logBurst(Lane lane) {
        log.warn("verify: {} distinct new local parts of {} within {}: probes to it paused until {}",
                limits.burstLocalParts(), lane.domain, limits.burstWindow(), lane.burst.frozenUntil());
    }

    private Admission refuse(Reason reason, String why) {
        refusals.get(reason).increment();
        return new Admission.Refused(reason, why);
    }

    /**
     * The running slots (all domains' and the lane's) for one probe; closing the permit frees them and hands free
     * slots to waiting domains. Caller holds the lock and has seen room in both.
     */
    private Permit slot(Lane lane) {
        Permit global = running.tryTake().orElseThrow();
        Permit domain = lane.running.tryTake().orElseThrow();
        return Permit.of(() -> {
            List<Start> starts;
            synchronized (this) {
                domain.close();
                global.close();
                starts = dispatch();
            }
            starts.forEach(this::launch);
        });
    }

    private void launch(Start start) {
        try {
            workers.execute(() -> {
                Permit slot = start.slot();
                try (slot) {
                    start.task().run(gate(start.lane().domain));
                } catch (RuntimeException | Error e) {
                    log.error("verify: probe task for {} failed: {}", start.lane().domain, e.toString(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Permit slot = start.slot();
            try (slot) {
                start.task().dropped("the relay is shutting down");
            }
        }
    }

    /**
     * What a probe of {@code domain} asks before each connection: on one node the per-host budget; in a cluster first
     * a slot of the domain's and of the target address's caps shared by all nodes, so N nodes together stay within one
     * node's caps.
     */
    private HostGate gate(String domain) {
        if (shared == SharedBudget.none()) return hosts;
        return target -> {
            Optional<Permit> ofDomain = shared.tryTake("domain:" + domain, limits.perDomainConcurrency());
            if (ofDomain.isEmpty()) {
                refusedShared.increment();
                return Optional.empty();
            }
            Optional<Permit> ofAddress = shared.tryTake("address:" + target.address().getHostAddress(),
                    limits.perAddressConcurrency());
            if (ofAddress.isEmpty()) {
                ofDomain.get().close();
                refusedShared.increment();
                return Optional.empty();
            }
            Optional<Permit> ofHost = hosts.tryEnter(target);
            if (ofHost.isEmpty()) {
                ofAddress.get().close();
                ofDomain.get().close();
                return Optional.empty();
            }
            Permit host = ofHost.get();
            Permit address = ofAddress.get();
            Permit dom = ofDomain.get();
            return Optional.of(Permit.of(() -> {
                host.close();
                address.close();
                dom.close();
            }));
        };
    }

    /** Whether the global cap lets {@code task} start: a background one leaves {@code reservedInline} slots free. */
    private boolean hasRoom(Task task) {
        return task.inline() ? running.hasRoom() : running.inUse() < limits.maxConcurrent() - limits.reservedInline();
    }

    /**
     * The first of the lane's waiting probes that the global cap lets start, taken out of the queue: the oldest, or the
     * oldest inline one when only the reserved slots are free. Caller holds the lock.
     */
    private Job nextRunnable(Lane lane) {
        for (Iterator<Job> it = lane.waiting.iterator(); it.hasNext(); ) {
            Job job = it.next();
            if (hasRoom(job.task())) {
                it.remove();
                return job;
            }
        }
        return null;
    }

    /** Hands free global slots to waiting domains, round-robin, one per domain per turn. Caller holds the lock. */
    private List<Start> dispatch() {
        List<Start> starts = new ArrayList<>();
        boolean progress = true;
        while (progress && running.hasRoom() && !ready.isEmpty() && !closed) {
            progress = false;
            int turns = ready.size();
            for (int i = 0; i < turns && running.hasRoom(); i++) {
                Lane lane = ready.pollFirst();
                Job job = lane.running.hasRoom() ? nextRunnable(lane) : null;
                if (job != null) {
                    job.place().close();
                    starts.add(new Start(lane, job.task(), slot(lane)));
                    progress = true;
                }
                if (lane.waiting.isEmpty()) {
                    lane.inReady = false;
                } else {
                    ready.addLast(lane);
                }
            }
        }
        return starts;
    }

    /** Counts and the {@code top} domains with the most probes waiting (then running). */
    public synchronized Snapshot snapshot(int top) {
        int domainsWaiting = 0;
        List<DomainState> states = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            if (!lane.waiting.isEmpty()) domainsWaiting++;
            if (top > 0 && (lane.running.inUse() > 0 || !lane.waiting.isEmpty() || lane.burst.frozenUntil() != null)) {
                states.add(lane.state());
            }
        }
        states.sort(Comparator.comparingInt(DomainState::waiting).thenComparingInt(DomainState::running).reversed());
        return new Snapshot(running.inUse(), queued.inUse(), domainsWaiting,
                List.copyOf(states.subList(0, Math.min(top, states.size()))));
    }

    /** The state of one domain (running, waiting, frozen), or empty when it has none. */
    public synchronized Optional<DomainState> domain(String domain) {
        return Optional.ofNullable(lanes.get(domain.toLowerCase(Locale.ROOT))).map(Lane::state);
    }

    /** Whether new probes to {@code domain} are paused by a burst freeze right now. */
    public boolean isFrozen(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Optional<Instant> sharedFreeze = freezes.frozenUntil(key);
        synchronized (this) {
            Instant now = clock.instant();
            Lane lane = lanes.get(key);
            if (lane != null) sharedFreeze.ifPresent(lane.burst::adopt);
            return lane != null ? lane.burst.isFrozen(now) : sharedFreeze.filter(now::isBefore).isPresent();
        }
    }

    private synchronized double deepestQueue() {
        int max = 0;
        for (Lane lane : lanes.values()) max = Math.max(max, lane.waiting.size());
        return max;
    }

    /**
     * Forgets idle domains and hosts whose buckets are full again and whose freeze is over, so memory follows the
     * domains currently probed. Run on a schedule; returns how many entries were dropped.
     */
    public int sweep() {
        synchronized (this) {
            return sweepLocked(clock.instant());
        }
    }

    private int sweepLocked(Instant now) {
        lastSweep = now;
        int dropped = 0;
        for (Iterator<Lane> it = lanes.values().iterator(); it.hasNext(); ) {
            Lane lane = it.next();
            if (lane.running.inUse() == 0 && lane.waiting.isEmpty() && !lane.burst.isFrozen(now)
                    && !now.isBefore(lane.rateRefusedUntil) && lane.bucket.getAvailableTokens() >= limits.perDomainRate() && lane.burst.isQuiet(now)) {
                it.remove();
                dropped++;
            }
        }
        return dropped + hosts.sweep();
    }

    /** Stops taking probes and drops the waiting ones ({@link Task#dropped}); running ones finish on their own. */
    @Override
    public void close() {
        List<Job> dropped = new ArrayList<>();
        synchronized (this) {
            if (closed) return;
            closed = true;
            for (Lane lane : lanes.values()) {
                dropped.addAll(lane.waiting);
                lane.waiting.clear();
            }
            dropped.forEach(job -> job.place().close());
            ready.clear();
        }
        for (Job job : dropped) job.task().dropped("the relay is shutting down");
        // no interrupts: a probe thread may be inside a database call (H2 closes its file when a thread doing I/O is
        // interrupted); running probes end within their own deadlines on daemon virtual threads
        workers.shutdown();
    }

    /** A probe waiting in its domain's queue, holding its place in the total of waiting probes. */
    private record Job(Task task, Permit place) {}

    /** A probe let run, holding its running slots until it ends. */
    private record Start(Lane lane, Task task, Permit slot) {}

    /** One sender domain: guarded by the scheduler's lock. */
    private final class Lane {
        final String domain;
        final Slots running = new Slots(limits.perDomainConcurrency());
        /** The domain's rate on one node (unused in a cluster, where the bucket is shared). */
        final Bucket bucket = time.bucket(limits.perDomainRate(), limits.perDomainRatePeriod());
        /** In a cluster: until when the shared bucket said it is empty, for {@link #precheck} (no database read). */
        Instant rateRefusedUntil = Instant.MIN;
        final ArrayDeque<Job> waiting = new ArrayDeque<>();
        final BurstFreeze burst = new BurstFreeze(limits.burstLocalParts(), limits.burstWindow(), limits.burstFreeze());
        boolean inReady;

        Lane(String domain) {
            this.domain = domain;
        }

        DomainState state() {
            return new DomainState(domain, running.inUse(), waiting.size(), burst.frozenUntil());
        }
    }
}
