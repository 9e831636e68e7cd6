package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.smtpclient.ClientLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mechanism of sender verification (Postfix's verify(8) to the check's smtpd_check): it puts the parts together.
 * The verdict cache (shared by nodes, in the database) and its {@link CachePolicy}; one probe per address at a time
 * ({@link SingleFlight}); the fair {@link ProbeScheduler}; a {@link Quota} of probes per incoming connection; the
 * domain profiles ({@link ProfileBook}); the {@link ProbeHistory}. What a client is told is {@link AnswerPolicy}'s;
 * the reply codes are the check's.
 *
 * <p>Two ways in. {@link #verify} is the inline path: answer from the cache, or probe and wait at most
 * {@code maxWait}; a probe still running then answers {@link SenderStatus.Pending} and finishes in the background,
 * its result cached for the client's retry. {@link #prefetch} starts a background probe and returns at once (the
 * greylisting check calls it when it first greylists a triplet, so the verdict is cached before the retry).
 *
 * <p>Budgets: the scheduler's (domain, global, MX host, burst freeze) and a cap on the probes one incoming connection
 * may start ({@code verification.budget.perConnection}, a {@link Quota} in the connection's {@link SessionNotes}).
 * Joining a probe already running and answers from the cache cost nothing.
 *
 * <p>Thread-safe. {@link #verify} runs on the connection's thread; probes run on the scheduler's virtual threads.
 */
public final class SenderVerifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SenderVerifier.class);

    /** The probes one incoming connection may still start. */
    static final SessionNotes.Key<Quota> PROBES_STARTED = new SessionNotes.Key<>("verify.probes-started");

    /**
     * @param inline             deadlines while a client waits
     * @param background         full deadlines for prefetch, refresh and retries
     * @param randomAddressCheck ask a random local part after a 2xx (off by default: it looks like a dictionary attack)
     * @param perConnection      probes one incoming connection may start
     * @param probeTotal         one probe's overall deadline, all commands and MX hosts together; a client waits for an
     *                           inline probe at most {@code verification.maxWait} whatever this is
     */
    public record Settings(ClientLimits inline, ClientLimits background, boolean randomAddressCheck, int perConnection,
            Duration probeTotal) {
        public Settings {
            Objects.requireNonNull(inline, "inline");
            Objects.requireNonNull(background, "background");
            Objects.requireNonNull(probeTotal, "probeTotal");
        }
    }

    /** The connection a verification is for. */
    public record Context(String sessionId, SessionNotes notes) {}

    /** What {@link #admit} did. */
    private sealed interface Admit {
        /** This call started a probe (it counts against the connection's quota). */
        record Started(Future<ProbeEnd> result) implements Admit {}

        /** A probe of the address was running: its result is shared. */
        record Joined(Future<ProbeEnd> result) implements Admit {}

        record Refused(SenderStatus status) implements Admit {}
    }

    private final Prober prober;
    private final ProbeScheduler scheduler;
    private final CachePolicy policy;
    private final AnswerPolicy answers;
    private final VerdictMemo cache;
    private final ProfileBook profiles;
    private final ProbeHistory history;
    private final Clock clock;
    private final Settings settings;
    private final SingleFlight<ProbeEnd> flights;
    /** Background starts and probes not finished yet: what {@link #inProgress()} tells. */
    private final Slots working = Slots.unbounded();
    private final Counter connectionRefusals;
    private volatile boolean closed;

    public SenderVerifier(Prober prober, ProbeScheduler scheduler, CachePolicy policy, AnswerPolicy answers,
            VerificationCache cache, ProfileBook profiles, ProbeHistory history, Clock clock, MeterRegistry metrics,
            Settings settings) {
        this(prober, scheduler, policy, answers, new VerdictMemo(cache, clock, false), profiles, history, clock, metrics, settings,
                Cluster.single());
    }

    /** With {@code cluster} shared (PostgreSQL), one node of all probes an address at a time. */
    SenderVerifier(Prober prober, ProbeScheduler scheduler, CachePolicy policy, AnswerPolicy answers,
            VerdictMemo cache, ProfileBook profiles, ProbeHistory history, Clock clock, MeterRegistry metrics,
            Settings settings, Cluster cluster) {
        this.flights = cluster.singleFlight(new LeasedSingleFlight.Remote<>() {
            @Override
            public Optional<ProbeEnd> verdict(String address, Instant since) {
                return cache.stored(CacheKind.SENDER, address).filter(e -> !e.checkedAt().isBefore(since))
                        .map(e -> new ProbeEnd.NotRun(answers.cached(e)));
            }

            @Override
            public ProbeEnd gaveUp(String address) {
                return new ProbeEnd.NotRun(new SenderStatus.TempFail("the probe of <" + address
                        + "> on another node ended without a verdict", false));
            }
        });
        this.prober = prober;
        this.scheduler = scheduler;
        this.policy = policy;
        this.answers = answers;
        this.cache = cache;
        this.profiles = profiles;
        this.history = history;
        this.clock = clock;
        this.settings = settings;
        this.connectionRefusals = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "connection")
                .description("probes refused by the budget").register(metrics);
    }

    /**
     * Verifies {@code sender} for a client that waits at most {@code maxWait}. Throws only when the cache cannot be
     * read (the pipeline then answers 451 4.3.0).
     */
    public SenderStatus verify(Mailbox written, Context context, Duration maxWait) {
        Optional<Mailbox> wire = wireForm(written);
        if (wire.isEmpty()) {
            String why = "cannot be probed as written: not a plain ASCII local@domain";
            history.unprobeable(CacheKind.SENDER, context.sessionId(), written, why, clock.instant());
            return new SenderStatus.Unprobeable(why);
        }
        Mailbox sender = wire.get();
        Instant now = clock.instant();
        return switch (policy.answer(cache.find(CacheKind.SENDER, sender.normalised()), now)) {
            case CachePolicy.Cached.Fresh f -> hit(sender, context, f.entry(), now);
            case CachePolicy.Cached.Refresh r -> {
                SenderStatus answer = hit(sender, context, r.entry(), now);
                startBackground(sender, context, ProbeOrigin.REFRESH);
                yield answer;
            }
            case CachePolicy.Cached.Reprobe r -> inline(sender, context, maxWait, Optional.of(answers.reprobePending(r.entry())));
            case CachePolicy.Cached.Miss m -> {
                history.cacheMiss(CacheKind.SENDER);
                yield inline(sender, context, maxWait, Optional.empty());
            }
        };
    }

    /**
     * What {@link #verify} would answer from the cache alone, for a dry run: no probe is started or joined, nothing is
     * written (no probe history, no cache row). Where {@link #verify} would probe now (no live verdict, or a rejection
     * due for a re-probe), the answer is the one a client gets while that probe runs.
     */
    public SenderStatus fromCache(Mailbox written, Context context, Duration maxWait) {
        Optional<Mailbox> wire = wireForm(written);
        if (wire.isEmpty()) return new SenderStatus.Unprobeable("cannot be probed as written: not a plain ASCII local@domain");
        Mailbox sender = wire.get();
        return switch (policy.answer(cache.find(CacheKind.SENDER, sender.normalised()), clock.instant())) {
            case CachePolicy.Cached.Fresh f -> answers.cached(f.entry());
            case CachePolicy.Cached.Refresh r -> answers.cached(r.entry());
            case CachePolicy.Cached.Reprobe r -> answers.reprobePending(r.entry());
            case CachePolicy.Cached.Miss m -> new SenderStatus.Pending("nothing cached for <" + sender.normalised()
                    + ">: a real session would probe now and wait up to " + maxWait.toMillis() + " ms (--probe to probe)");
        };
    }

    /**
     * Starts a background probe of {@code sender} unless one is running, its verdict is fresh in the cache, the
     * connection has started its share of probes or the domain's budget is used up. Returns at once: even the cache
     * lookup runs on another thread.
     */
    public void prefetch(Mailbox written, Context context) {
        Optional<Mailbox> wire = wireForm(written);
        if (wire.isEmpty()) return; // the client's RCPT answers it; nothing to probe
        Mailbox sender = wire.get();
        if (flights.running(sender.normalised()).isPresent()) return;
        // a domain whose budget is used up (a forged-sender flood) costs nothing more than this look
        if (scheduler.precheck(sender.domain(), sender.localPart()).isPresent()) return;
        startBackground(sender, context, ProbeOrigin.PREFETCH);
    }

    /**
     * An administrator's "verify again now": probes {@code sender} in the background even when its cached verdict is
     * fresh, through the scheduler (its budgets and burst freeze apply), and returns at once. The result is merged,
     * cached, learned from and recorded like any background probe's, with origin ADMIN. It counts against no client
     * connection.
     */
    Reprobe reprobe(Mailbox sender) {
        if (closed) return new Reprobe.Refused("the relay is shutting down");
        if (!Prober.wireSafe(sender)) return new Reprobe.Refused("not a plain ASCII local@domain address: it is never probed");
        if (flights.running(sender.normalised()).isPresent()) return new Reprobe.Joined();
        return switch (admit(sender, new Context("admin", new SessionNotes()), ProbeOrigin.ADMIN)) {
            case Admit.Started s -> new Reprobe.Started();
            case Admit.Joined j -> new Reprobe.Joined();
            case Admit.Refused r -> new Reprobe.Refused(r.status().why());
        };
    }

    /**
     * The form of {@code sender} that goes on the wire: itself, or a quoted local part that equals a dot-atom written
     * plainly ({@code "jane"@example.org} is jane@example.org); empty when it cannot be probed as written.
     */
    static Optional<Mailbox> wireForm(Mailbox sender) {
        return sender.plainForm().filter(Prober::wireSafe);
    }

    /**
     * How many background starts and probes (inline ones too) have not finished: zero when verification is idle.
     * Observable state, for whoever needs to know that nothing runs behind a client's back.
     */
    int inProgress() {
        return working.inUse();
    }

    private SenderStatus hit(Mailbox sender, Context context, CacheEntry e, Instant now) {
        history.cacheHit(CacheKind.SENDER, context.sessionId(), sender, e, now);
        return answers.cached(e);
    }

    /** A probe the client does not wait for; a retry counts against no connection, the others do. */
    private void startBackground(Mailbox sender, Context context, ProbeOrigin origin) {
        if (flights.running(sender.normalised()).isPresent()) return; // already being probed: nothing to start
        Optional<Quota.Claim> share = origin == ProbeOrigin.RETRY ? Optional.of(Quota.Claim.free()) : quota(context).claim();
        if (share.isEmpty()) {
            connectionRefusals.increment();
            return;
        }
        Permit starting = working.take(); // until the probe's own permit is held, or nothing was started
        Thread.ofVirtual().name("verify-background").start(() -> {
            try (Quota.Claim claim = share.get(); starting) {
                if (origin == ProbeOrigin.PREFETCH && isFresh(sender)) return;
                if (admit(sender, context, origin) instanceof Admit.Started) claim.spend();
            } catch (RuntimeException e) {
                log.warn("verify: background probe of <{}> not started: {}", sender, e.getMessage());
            }
        });
    }

    private boolean isFresh(Mailbox sender) {
        CachePolicy.Cached cached = policy.answer(cache.find(CacheKind.SENDER, sender.normalised()), clock.instant());
        return cached instanceof CachePolicy.Cached.Fresh || cached instanceof CachePolicy.Cached.Refresh;
    }

    private SenderStatus inline(Mailbox sender, Context context, Duration maxWait, Optional<SenderStatus> fallback) {
        Future<ProbeEnd> running = flights.running(sender.normalised()).orElse(null);
        if (running == null) {
            Quota quota = quota(context);
            Optional<Quota.Claim> share = quota.claim();
            if (share.isEmpty()) {
                connectionRefusals.increment();
                return fallback.orElse(AnswerPolicy.connectionSpent(sender.domain(), quota.used()));
            }
            try (Quota.Claim claim = share.get()) {
                switch (admit(sender, context, ProbeOrigin.INLINE)) {
                    case Admit.Refused r -> {
                        return fallback.orElse(r.status());
                    }
                    case Admit.Started s -> {
                        claim.spend();
                        running = s.result();
                    }
                    case Admit.Joined j -> running = j.result();
                }
            }
        }
        try {
            ProbeEnd end = maxWait.isZero() && !running.isDone() ? null
                    : running.get(Math.max(1, maxWait.toNanos()), TimeUnit.NANOSECONDS);
            if (end == null) return fallback.orElse(AnswerPolicy.stillRunning(maxWait));
            return answers.afterProbe(end, fallback, sender.domain());
        } catch (TimeoutException e) {
            return fallback.orElse(AnswerPolicy.stillRunning(maxWait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback.orElse(AnswerPolicy.stillRunning(maxWait));
        } catch (ExecutionException e) {
            return new SenderStatus.TempFail("probe failed: " + e.getCause(), false);
        }
    }

    /** Joins the probe running for this address, or starts one through the scheduler. */
    private Admit admit(Mailbox sender, Context context, ProbeOrigin origin) {
        return switch (flights.enter(sender.normalised())) {
            case SingleFlight.Flight.Joined<ProbeEnd> j -> new Admit.Joined(j.result());
            case SingleFlight.Flight.Lead<ProbeEnd> lead -> {
                ProbeTask task = new ProbeTask(sender, lead, working.take(), origin, context);
                yield switch (scheduler.submit(sender.domain(), sender.localPart(), task)) {
                    case ProbeScheduler.Admission.Started s -> new Admit.Started(lead.result());
                    case ProbeScheduler.Admission.Queued q -> new Admit.Started(lead.result());
                    case ProbeScheduler.Admission.Refused r -> {
                        Instant now = clock.instant();
                        SenderStatus status = r.reason() == ProbeScheduler.Reason.FROZEN
                                ? answers.duringFreeze(profiles.read(sender.domain(), now), r.why(), now)
                                : new SenderStatus.BudgetExhausted(sender.domain(), r.why());
                        log.info("verify: no probe of <{}> ({}): {}", sender, origin.name().toLowerCase(Locale.ROOT), r.why());
                        task.end(new ProbeEnd.NotRun(status));
                        yield new Admit.Refused(status);
                    }
                };
            }
        };
    }

    private Quota quota(Context context) {
        Optional<Quota> quota = context.notes().get(PROBES_STARTED);
        if (quota.isPresent()) return quota.get();
        Quota fresh = new Quota(settings.perConnection());
        context.notes().put(PROBES_STARTED, fresh);
        return fresh;
    }

    /** One probe as the scheduler runs it. It holds the address's flight and a share of the work in progress. */
    private final class ProbeTask implements ProbeScheduler.Task {
        private final Mailbox sender;
        private final SingleFlight.Flight.Lead<ProbeEnd> lead;
        private final Permit working;
        private final ProbeOrigin origin;
        private final Context context;

        ProbeTask(Mailbox sender, SingleFlight.Flight.Lead<ProbeEnd> lead, Permit working, ProbeOrigin origin, Context context) {
            this.sender = sender;
            this.lead = lead;
            this.working = working;
            this.origin = origin;
            this.context = context;
        }

        @Override
        public void run(HostGate gate) {
            try (lead; working) {
                ProbeEnd end = probe(gate);
                lead.finish(end);
                if (!closed && origin == ProbeOrigin.INLINE && end instanceof ProbeEnd.Probed p
                        && p.outcome().result() instanceof ProbeResult.TempFail t && t.timedOut()) {
                    // mailfromd's split: short deadlines while a client waited; now once more with the full ones,
                    // started while this task still counts as work in progress, so nobody sees a gap in between
                    startBackground(sender, context, ProbeOrigin.RETRY);
                }
            }
        }

        @Override
        public boolean inline() {
            return origin == ProbeOrigin.INLINE;
        }

        @Override
        public void dropped(String why) {
            end(new ProbeEnd.NotRun(new SenderStatus.TempFail(why, false)));
        }

        /** Ends without running. */
        void end(ProbeEnd end) {
            try (lead; working) {
                lead.finish(end);
            }
        }

        private ProbeEnd probe(HostGate gate) {
            try {
                if (!lead.renew()) {
                    return new ProbeEnd.NotRun(new SenderStatus.TempFail("another node took over the probe of <" + sender
                            + "> while it waited here", false));
                }
                Instant start = clock.instant();
                Optional<CacheEntry> stored = cache.stored(CacheKind.SENDER, sender.normalised());
                if (origin != ProbeOrigin.ADMIN && policy.answer(stored, start) instanceof CachePolicy.Cached.Fresh f
                        && (origin != ProbeOrigin.RETRY || f.entry().status().isDefinite())) {
                    // answered meanwhile (another node, or a probe that was queued before us); a retry after an
                    // inline timeout goes ahead despite the temporary failure that timeout left in the cache, and an
                    // administrator's "verify again now" always probes
                    return new ProbeEnd.NotRun(answers.cached(f.entry()));
                }
                DomainProfile profile = profiles.read(sender.domain(), start);
                Prober.Plan plan = new Prober.Plan(origin == ProbeOrigin.INLINE ? settings.inline() : settings.background(),
                        answers.counts(profile, DomainTrait.REFUSES_NULL_SENDER, start),
                        settings.randomAddressCheck() && !answers.counts(profile, DomainTrait.ACCEPTS_ANY, start), gate,
                        settings.probeTotal());
                ProbeOutcome outcome = prober.probe(sender, plan);
                Instant end = clock.instant();
                Optional<CacheEntry> merged = policy.merge(stored, CacheKind.SENDER, sender, outcome, end);
                // finished after shutdown: the database may be gone; the verdict is lost, nothing else
                if (closed) return new ProbeEnd.Probed(outcome, merged);
                try {
                    merged.ifPresent(cache::put);
                    profiles.learn(profile, outcome, end);
                } catch (RuntimeException e) {
                    log.warn("verify: result for <{}> not stored: {}", sender, e.getMessage());
                }
                history.probed(CacheKind.SENDER, origin, context.sessionId(), sender, outcome, end);
                return new ProbeEnd.Probed(outcome, merged);
            } catch (RuntimeException e) {
                log.error("verify: probe of <{}> failed: {}", sender, e.toString(), e);
                return new ProbeEnd.NotRun(new SenderStatus.TempFail("local problem: " + e.getMessage(), false));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.close();
    }
}
