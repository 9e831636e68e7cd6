package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.policy.SessionNotes;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.ServerReply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mechanism of sender verification (Postfix's verify(8) to the check's smtpd_check): the shared verdict cache,
 * one probe per address at a time (in-process single flight; across nodes the cache), the fair scheduler, the domain
 * profiles, the probe history and the metrics. It answers {@link SenderStatus}es; the reply codes are the check's.
 *
 * <p>Two ways in. {@link #verify} is the inline path: answer from the cache, or probe and wait at most
 * {@code maxWait}; a probe still running then answers {@link SenderStatus.Pending} and finishes in the background,
 * its result cached for the client's retry. {@link #prefetch} starts a background probe and returns at once (the
 * greylisting check calls it when it first greylists a triplet, so the verdict is cached before the retry).
 *
 * <p>Budgets: the scheduler's (domain, global, MX host, burst freeze) and a cap on the probes one incoming connection
 * may start ({@code verification.budget.perConnection}, counted in the connection's {@link SessionNotes}). Joining a
 * probe already running and answers from the cache cost nothing.
 *
 * <p>Thread-safe. {@link #verify} runs on the connection's thread; probes run on the scheduler's virtual threads.
 */
public final class SenderVerifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SenderVerifier.class);

    /** Probes started by one incoming connection. */
    static final SessionNotes.Key<AtomicInteger> PROBES_STARTED = new SessionNotes.Key<>("verify.probes-started");

    /** Why a probe ran; stored in the probe history. */
    enum Origin { INLINE, PREFETCH, REFRESH, RETRY, ADMIN }

    /**
     * @param node              this node's name in the history ({@code smtp.hostname})
     * @param inline            deadlines while a client waits
     * @param background        full deadlines for prefetch, refresh and retries
     * @param randomAddressCheck ask a random local part after a 2xx (off by default: it looks like a dictionary attack)
     * @param profileTtl        how long a learned domain trait counts
     * @param perConnection     probes one incoming connection may start
     * @param logCacheHits      store answers from the cache in the history too
     */
    public record Settings(String node, ClientLimits inline, ClientLimits background, boolean randomAddressCheck,
            Duration profileTtl, int perConnection, boolean logCacheHits) {
        public Settings {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(inline, "inline");
            Objects.requireNonNull(background, "background");
            Objects.requireNonNull(profileTtl, "profileTtl");
        }
    }

    /** The connection a verification is for. */
    public record Context(String sessionId, SessionNotes notes) {}

    /** How a probe request ended. */
    sealed interface Completion {
        record Probed(ProbeOutcome outcome, Optional<CacheEntry> stored) implements Completion {}

        record NotRun(SenderStatus status) implements Completion {}
    }

    private sealed interface Admit {
        record Running(CompletableFuture<Completion> future) implements Admit {}

        record Refused(SenderStatus status) implements Admit {}
    }

    private final Prober prober;
    private final ProbeScheduler scheduler;
    private final CachePolicy policy;
    private final VerificationCache cache;
    private final DomainProfiles profiles;
    private final ProbeLogWriter history;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Settings settings;
    private final ConcurrentHashMap<String, CompletableFuture<Completion>> inFlight = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> background = ConcurrentHashMap.newKeySet();
    private final Counter connectionRefusals;
    private final Counter misses;
    private final Timer probeTime;
    private volatile boolean closed;

    public SenderVerifier(Prober prober, ProbeScheduler scheduler, CachePolicy policy, VerificationCache cache,
            DomainProfiles profiles, ProbeLogWriter history, Clock clock, MeterRegistry metrics, Settings settings) {
        this.prober = prober;
        this.scheduler = scheduler;
        this.policy = policy;
        this.cache = cache;
        this.profiles = profiles;
        this.history = history;
        this.clock = clock;
        this.metrics = metrics;
        this.settings = settings;
        this.connectionRefusals = Counter.builder("greyrelay.verify.budget.refusals").tag("scope", "connection")
                .description("probes refused by the budget").register(metrics);
        this.misses = Counter.builder("greyrelay.verify.cache.misses").tag("kind", "sender").register(metrics);
        this.probeTime = Timer.builder("greyrelay.verify.probe.duration").tag("kind", "sender").register(metrics);
    }

    /**
     * Verifies {@code sender} for a client that waits at most {@code maxWait}. Throws only when the cache cannot be
     * read (the pipeline then answers 451 4.3.0).
     */
    public SenderStatus verify(Mailbox sender, Context context, Duration maxWait) {
        if (!Prober.wireSafe(sender)) return new SenderStatus.Unverifiable("not a plain local@domain address", false);
        Instant now = clock.instant();
        String key = sender.normalised();
        CachePolicy.Cached cached = policy.answer(cache.find(CacheKind.SENDER, key), now);
        return switch (cached) {
            case CachePolicy.Cached.Fresh f -> hit(sender, context, f.entry(), now);
            case CachePolicy.Cached.Refresh r -> {
                SenderStatus answer = hit(sender, context, r.entry(), now);
                startBackground(sender, context, Origin.REFRESH, true);
                yield answer;
            }
            case CachePolicy.Cached.Reprobe r -> inline(sender, context, maxWait, Optional.of(soft(r.entry())));
            case CachePolicy.Cached.Miss m -> {
                misses.increment();
                yield inline(sender, context, maxWait, Optional.empty());
            }
        };
    }

    /**
     * Starts a background probe of {@code sender} unless one is running, its verdict is fresh in the cache, the
     * connection has started its share of probes or the domain's budget is used up. Returns at once: even the cache
     * lookup runs on another thread.
     */
    public void prefetch(Mailbox sender, Context context) {
        if (!Prober.wireSafe(sender) || inFlight.containsKey(sender.normalised())) return;
        // a domain whose budget is used up (a forged-sender flood) costs nothing more than this look
        if (scheduler.precheck(sender.domain(), sender.localPart()).isPresent()) return;
        startBackground(sender, context, Origin.PREFETCH, true);
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
        if (inFlight.containsKey(sender.normalised())) return new Reprobe.Joined();
        return switch (admit(sender, new Context("admin", new SessionNotes()), Origin.ADMIN)) {
            case Admit.Running r -> new Reprobe.Started();
            case Admit.Refused r -> new Reprobe.Refused(why(r.status()));
        };
    }

    private static String why(SenderStatus s) {
        return switch (s) {
            case SenderStatus.BudgetExhausted b -> b.why();
            case SenderStatus.Deliverable d -> d.why();
            case SenderStatus.Undeliverable u -> u.why();
            case SenderStatus.Unverifiable u -> u.why();
            case SenderStatus.TempFail t -> t.why();
            case SenderStatus.Pending p -> p.why();
            case SenderStatus.NoSuchDomain n -> n.why();
            case SenderStatus.NullMx n -> "the domain publishes a null MX";
        };
    }

    /** Test seam: waits until every background start and every probe running now have finished. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            CompletableFuture<?>[] pending = background.toArray(CompletableFuture<?>[]::new);
            CompletableFuture<?>[] probes = inFlight.values().toArray(CompletableFuture<?>[]::new);
            if (pending.length == 0 && probes.length == 0) return true;
            try {
                CompletableFuture.allOf(CompletableFuture.allOf(pending), CompletableFuture.allOf(probes))
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // look again; the loop ends at the deadline
            }
        }
        return background.isEmpty() && inFlight.isEmpty();
    }

    /** Test seam: whether nothing runs in the background right now. */
    boolean awaitIdleNow() {
        return background.isEmpty() && inFlight.isEmpty();
    }

    private void startBackground(Mailbox sender, Context context, Origin origin, boolean countForConnection) {
        if (inFlight.containsKey(sender.normalised())) return; // already being probed: nothing to start
        AtomicInteger started = countForConnection ? connectionCounter(context) : null;
        if (started != null && started.incrementAndGet() > settings.perConnection()) {
            started.decrementAndGet();
            connectionRefusals.increment();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        background.add(done);
        Thread.ofVirtual().name("verify-prefetch").start(() -> {
            CompletableFuture<Completion> probe = null;
            try {
                if (origin == Origin.PREFETCH) {
                    CachePolicy.Cached cached = policy.answer(cache.find(CacheKind.SENDER, sender.normalised()), clock.instant());
                    if (cached instanceof CachePolicy.Cached.Fresh || cached instanceof CachePolicy.Cached.Refresh) {
                        if (started != null) started.decrementAndGet();
                        return;
                    }
                }
                Admit admit = admit(sender, context, origin);
                if (admit instanceof Admit.Running r) {
                    probe = r.future();
                } else if (started != null) {
                    started.decrementAndGet();
                }
            } catch (RuntimeException e) {
                log.warn("verify: background probe of <{}> not started: {}", sender, e.getMessage());
                if (started != null) started.decrementAndGet();
            } finally {
                if (probe == null) {
                    finishBackground(done);
                } else {
                    probe.whenComplete((c, e) -> finishBackground(done));
                }
            }
        });
    }

    private void finishBackground(CompletableFuture<Void> done) {
        background.remove(done);
        done.complete(null);
    }

    private SenderStatus inline(Mailbox sender, Context context, Duration maxWait, Optional<SenderStatus> fallback) {
        AtomicInteger started = connectionCounter(context);
        CompletableFuture<Completion> running = inFlight.get(sender.normalised());
        if (running == null) {
            if (started.get() >= settings.perConnection()) {
                connectionRefusals.increment();
                return fallback.orElse(new SenderStatus.BudgetExhausted(sender.domain(),
                        "this connection has started " + started.get() + " probes already"));
            }
            Admit admit = admit(sender, context, Origin.INLINE);
            switch (admit) {
                case Admit.Refused r -> {
                    return fallback.orElse(r.status());
                }
                case Admit.Running r -> running = r.future();
            }
        }
        try {
            Completion done = maxWait.isZero() && !running.isDone() ? null
                    : running.get(Math.max(1, maxWait.toNanos()), TimeUnit.NANOSECONDS);
            if (done == null) return fallback.orElse(pending(maxWait));
            return status(done, fallback, sender.domain());
        } catch (TimeoutException e) {
            return fallback.orElse(pending(maxWait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback.orElse(pending(maxWait));
        } catch (ExecutionException e) {
            return new SenderStatus.TempFail("probe failed: " + e.getCause(), false);
        }
    }

    private static SenderStatus pending(Duration maxWait) {
        return new SenderStatus.Pending("probe still running after " + maxWait.toMillis() + " ms; it finishes in the background");
    }

    /** Joins the probe running for this address, or starts one through the scheduler. */
    private Admit admit(Mailbox sender, Context context, Origin origin) {
        String key = sender.normalised();
        CompletableFuture<Completion> mine = new CompletableFuture<>();
        CompletableFuture<Completion> existing = inFlight.putIfAbsent(key, mine);
        if (existing != null) return new Admit.Running(existing);
        ProbeTask task = new ProbeTask(sender, key, mine, origin, context);
        ProbeScheduler.Admission admission = scheduler.submit(sender.domain(), sender.localPart(), task);
        return switch (admission) {
            case ProbeScheduler.Admission.Started s -> {
                if (origin == Origin.INLINE) connectionCounter(context).incrementAndGet();
                yield new Admit.Running(mine);
            }
            case ProbeScheduler.Admission.Queued q -> {
                if (origin == Origin.INLINE) connectionCounter(context).incrementAndGet();
                yield new Admit.Running(mine);
            }
            case ProbeScheduler.Admission.Refused r -> {
                inFlight.remove(key, mine);
                SenderStatus status = r.reason() == ProbeScheduler.Reason.FROZEN
                        ? fromProfile(profile(sender.domain()), r.why())
                        : new SenderStatus.BudgetExhausted(sender.domain(), r.why());
                log.info("verify: no probe of <{}> ({}): {}", sender, origin.name().toLowerCase(Locale.ROOT), r.why());
                mine.complete(new Completion.NotRun(status));
                yield new Admit.Refused(status);
            }
        };
    }

    /** The domain's learned profile; an empty one when it cannot be read (probing goes on without it). */
    private DomainProfile profile(String domain) {
        try {
            return profiles.find(domain).orElse(DomainProfile.empty(domain, clock.instant()));
        } catch (RuntimeException e) {
            log.warn("verify: profile of {} unreadable, going on without it: {}", domain, e.getMessage());
            return DomainProfile.empty(domain, clock.instant());
        }
    }

    /** During a burst freeze: what the domain's profile lets us say without a probe. */
    private SenderStatus fromProfile(DomainProfile profile, String why) {
        Instant since = clock.instant().minus(settings.profileTtl());
        if (profile.has(DomainTrait.NULL_MX, since)) return new SenderStatus.NullMx();
        if (profile.has(DomainTrait.ACCEPTS_ANY, since)) {
            return new SenderStatus.Deliverable("the domain accepts every address (profile); " + why, true);
        }
        if (profile.has(DomainTrait.UNREACHABLE, since)) {
            return new SenderStatus.TempFail("the domain's MX is unreachable (profile); " + why, true);
        }
        if (profile.has(DomainTrait.GREYLISTS_PROBES, since)) {
            return new SenderStatus.TempFail("the domain greylists our probes (profile); " + why, true);
        }
        return new SenderStatus.BudgetExhausted(profile.domain(), why);
    }

    private AtomicInteger connectionCounter(Context context) {
        Optional<AtomicInteger> counter = context.notes().get(PROBES_STARTED);
        if (counter.isPresent()) return counter.get();
        AtomicInteger fresh = new AtomicInteger();
        context.notes().put(PROBES_STARTED, fresh);
        return fresh;
    }

    private SenderStatus status(Completion completion, Optional<SenderStatus> fallback, String domain) {
        return switch (completion) {
            case Completion.NotRun n -> fallback.orElse(n.status());
            case Completion.Probed p -> {
                ProbeResult result = p.outcome().result();
                if (p.stored().isPresent()) {
                    CacheEntry e = p.stored().get();
                    boolean keptOlderVerdict = CachePolicy.statusOf(result).orElse(null) == CacheStatus.TEMPFAIL
                            && e.status().isDefinite();
                    if (keptOlderVerdict && fallback.isPresent()) yield fallback.get();
                    yield fromEntry(e, keptOlderVerdict);
                }
                yield switch (result) {
                    case ProbeResult.NoSuchDomain n -> new SenderStatus.NoSuchDomain(n.why());
                    case ProbeResult.NullMx n -> new SenderStatus.NullMx();
                    case ProbeResult.Throttled t -> new SenderStatus.BudgetExhausted(domain, t.why());
                    case ProbeResult.TempFail t -> new SenderStatus.TempFail(t.why(), false);
                    case ProbeResult.Unknown u -> new SenderStatus.TempFail(u.why(), false);
                    case ProbeResult.Deliverable d -> new SenderStatus.Deliverable("probe: " + d.reply(), false);
                    case ProbeResult.Undeliverable u -> new SenderStatus.Undeliverable(false, "probe: " + u.reply(), false);
                    case ProbeResult.Unverifiable u -> new SenderStatus.Unverifiable(u.why(), false);
                };
            }
        };
    }

    private SenderStatus fromEntry(CacheEntry e, boolean cached) {
        String why = (cached ? "cached: " : "probe: ") + (e.replyCode() == null ? "" : e.replyCode() + " ")
                + (e.replyText() == null ? "" : e.replyText());
        return switch (e.status()) {
            case VALID -> new SenderStatus.Deliverable(why, cached);
            case INVALID -> new SenderStatus.Undeliverable(policy.isConfirmed(e), why, cached);
            case TEMPFAIL -> new SenderStatus.TempFail(why, cached);
            case UNVERIFIABLE -> new SenderStatus.Unverifiable(why, cached);
        };
    }

    /** A rejection answered while its re-probe has not said anything new: never a 5xx. */
    private SenderStatus soft(CacheEntry e) {
        return new SenderStatus.Undeliverable(false, "cached, re-probe pending: " + e.replyCode() + " " + e.replyText(), true);
    }

    private SenderStatus hit(Mailbox sender, Context context, CacheEntry e, Instant now) {
        metrics.counter("greyrelay.verify.cache.hits", "kind", "sender", "status", e.status().name().toLowerCase(Locale.ROOT))
                .increment();
        if (settings.logCacheHits()) {
            history.accept(new ProbeRecord(null, now, settings.node(), context.sessionId(), CacheKind.SENDER, "CACHE",
                    sender.normalised(), sender.domain(), null, null, outcomeName(e.status()), e.replyCode(), e.replyText(),
                    null, 0, true));
        }
        return fromEntry(e, true);
    }

    static String outcomeName(CacheStatus s) {
        return switch (s) {
            case VALID -> "DELIVERABLE";
            case INVALID -> "UNDELIVERABLE";
            case TEMPFAIL -> "TEMPFAIL";
            case UNVERIFIABLE -> "UNVERIFIABLE";
        };
    }

    /** One probe as the scheduler runs it. */
    private final class ProbeTask implements ProbeScheduler.Task {
        private final Mailbox sender;
        private final String key;
        private final CompletableFuture<Completion> future;
        private final Origin origin;
        private final Context context;
        private DomainProfile profile;

        ProbeTask(Mailbox sender, String key, CompletableFuture<Completion> future, Origin origin, Context context) {
            this.sender = sender;
            this.key = key;
            this.future = future;
            this.origin = origin;
            this.context = context;
        }

        @Override
        public void run(HostGate gate) {
            Completion completion;
            ProbeOutcome outcome = null;
            try {
                Instant start = clock.instant();
                Optional<CacheEntry> stored = cache.find(CacheKind.SENDER, key);
                if (origin != Origin.ADMIN && policy.answer(stored, start) instanceof CachePolicy.Cached.Fresh f
                        && (origin != Origin.RETRY || f.entry().status().isDefinite())) {
                    // answered meanwhile (another node, or a probe that was queued before us); a retry after an
                    // inline timeout goes ahead despite the temporary failure that timeout left in the cache, and an
                    // administrator's "verify again now" always probes
                    complete(new Completion.NotRun(fromEntry(f.entry(), true)));
                    return;
                }
                profile = profile(sender.domain());
                Instant since = start.minus(settings.profileTtl());
                Prober.Plan plan = new Prober.Plan(origin == Origin.INLINE ? settings.inline() : settings.background(),
                        profile.has(DomainTrait.REFUSES_NULL_SENDER, since),
                        settings.randomAddressCheck() && !profile.has(DomainTrait.ACCEPTS_ANY, since), gate);
                outcome = prober.probe(sender, plan);
                Instant end = clock.instant();
                Optional<CacheEntry> merged = policy.merge(stored, CacheKind.SENDER, sender, outcome, end);
                if (closed) {
                    // finished after shutdown: the database may be gone; the verdict is lost, nothing else
                    complete(new Completion.Probed(outcome, merged));
                    return;
                }
                try {
                    merged.ifPresent(cache::put);
                    learn(outcome, end);
                } catch (RuntimeException e) {
                    log.warn("verify: result for <{}> not stored: {}", sender, e.getMessage());
                }
                record(outcome, end);
                completion = new Completion.Probed(outcome, merged);
            } catch (RuntimeException e) {
                log.error("verify: probe of <{}> failed: {}", sender, e.toString(), e);
                completion = new Completion.NotRun(new SenderStatus.TempFail("local problem: " + e.getMessage(), false));
            }
            boolean retry = origin == Origin.INLINE && outcome != null
                    && outcome.result() instanceof ProbeResult.TempFail t && t.timedOut();
            inFlight.remove(key, future);
            if (retry) {
                // mailfromd's split: short deadlines while a client waited; now once more with the full ones. Started
                // before the waiters are woken, so whoever sees this result also sees the retry running.
                startBackground(sender, context, Origin.RETRY, false);
            }
            future.complete(completion);
        }

        @Override
        public void dropped(String why) {
            complete(new Completion.NotRun(new SenderStatus.TempFail(why, false)));
        }

        private void complete(Completion completion) {
            inFlight.remove(key, future);
            future.complete(completion);
        }

        private void learn(ProbeOutcome outcome, Instant now) {
            if (outcome.observed().isEmpty() && outcome.cleared().stream().noneMatch(profile.traits()::containsKey)) return;
            DomainProfile current = profiles.find(sender.domain()).orElse(DomainProfile.empty(sender.domain(), now));
            profiles.put(current.with(outcome.observed(), outcome.cleared(), now));
        }

        private void record(ProbeOutcome outcome, Instant now) {
            ProbeResult r = outcome.result();
            ServerReply reply = switch (r) {
                case ProbeResult.Deliverable d -> d.reply();
                case ProbeResult.Undeliverable u -> u.reply();
                case ProbeResult.Unknown u -> u.reply();
                default -> null;
            };
            String mxHost = outcome.answeredBy().map(ProbeTarget::host).orElse(null);
            String mxIp = outcome.answeredBy().map(t -> t.address().getHostAddress()).orElse(null);
            String text = reply != null ? reply.text() : switch (r) {
                case ProbeResult.TempFail t -> t.why();
                case ProbeResult.Unverifiable u -> u.why();
                case ProbeResult.NoSuchDomain n -> n.why();
                case ProbeResult.Throttled t -> t.why();
                default -> null;
            };
            history.accept(new ProbeRecord(null, now, settings.node(), context.sessionId(), CacheKind.SENDER, origin.name(),
                    key, sender.domain(), mxHost, mxIp, r.outcome(), reply == null ? null : reply.code(), text,
                    outcome.transcript(), outcome.duration().toMillis(), false));
            metrics.counter("greyrelay.verify.probes", "kind", "sender", "outcome", r.outcome().toLowerCase(Locale.ROOT)).increment();
            probeTime.record(outcome.duration());
            log.info("{}: verify: sender <{}> {} probe via {}: {} {} in {} ms", context.sessionId(), sender,
                    origin.name().toLowerCase(Locale.ROOT), outcome.answeredBy().map(ProbeTarget::toString).orElse("-"),
                    r.outcome(), text == null ? "" : text, outcome.duration().toMillis());
        }
    }

    /** For tests: the history writer, to flush it. */
    ProbeLogWriter historyWriter() {
        return history;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.close();
    }
}
