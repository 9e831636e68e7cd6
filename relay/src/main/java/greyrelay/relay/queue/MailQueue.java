package greyrelay.relay.queue;

import greyrelay.relay.address.Sender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The queue: every committed message, its delivery schedule and the workers that deliver it. The spool is the truth
 * (the queue rebuilds itself from it at start); this class only keeps an index in memory. What an attempt means —
 * which recipients are settled, when to try again, who gets a DSN — is {@link QueuePolicy}'s decision; this class
 * makes the attempt and carries the decision out. Each attempt's result is written to the spool before anything else
 * happens, so a recipient the downstream accepted is never sent again (except the one attempt in flight at a crash).
 */
public final class MailQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailQueue.class);

    /** Most header bytes shown to an administrator or quoted in a DSN. */
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Spool spool;
    private final DownstreamDelivery delivery;
    private final QueuePolicy policy;
    private final Clock clock;
    private final String hostname;
    private final String node;
    private final Duration maxLifetime;
    private final Map<QueueId, Envelope> entries = new ConcurrentHashMap<>();
    private final Map<QueueId, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    /** Removals from the spool started and not yet durable ({@link #runDue()} waits for them). */
    private final Set<CompletableFuture<Void>> removing = ConcurrentHashMap.newKeySet();
    private final Semaphore workers;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Set by {@link #signal()}, cleared by the scheduler before it looks: a signal while it is looking is not lost. */
    private boolean signalled;
    /** How long the scheduler sleeps between looks when nobody signals it (a test lengthens it). */
    private volatile Duration lookEvery = Duration.ofSeconds(1);
    /**
     * When each queued message is due, earliest first (guarded by {@link #lock}): dispatching takes from the top
     * instead of sorting the whole queue. A record is stale, and skipped, when the message has left the queue or its
     * schedule changed since (the change pushed a record of its own); a message in delivery is skipped too, and pushed
     * again when its attempt (or an operator's change) ends.
     */
    private final PriorityQueue<Due> due = new PriorityQueue<>();

    private record Due(Instant at, QueueId id) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return at.compareTo(o.at);
        }
    }
    private volatile boolean running;
    private final Map<String, Counter> deliveries = new HashMap<>();
    private final Counter dsnSent;
    private final Timer deliveryLatency;
    private Thread loop;

    public MailQueue(Spool spool, DownstreamDelivery delivery, RetrySchedule schedule, Clock clock, String hostname,
            String node, Duration maxLifetime, int workers, MeterRegistry metrics) {
        this.spool = spool;
        this.delivery = delivery;
        this.policy = new QueuePolicy(schedule);
        this.clock = clock;
        this.hostname = hostname;
        this.node = node;
        this.maxLifetime = maxLifetime;
        this.workers = new Semaphore(workers);
        Gauge.builder("greyrelay.queue.depth", entries, Map::size).register(metrics);
        Gauge.builder("greyrelay.queue.oldest.seconds", this, q -> q.oldestAge().map(Duration::toSeconds).orElse(0L)).register(metrics);
        Gauge.builder("greyrelay.spool.free.bytes", spool, Spool::freeBytes).description("bytes free on the spool's file system")
                .register(metrics);
        for (String status : List.of("sent", "deferred", "bounced", "expired")) {
            deliveries.put(status, Counter.builder("greyrelay.deliveries").description("delivery attempts per recipient, by result")
                    .tag("status", status).register(metrics));
        }
        this.dsnSent = Counter.builder("greyrelay.dsn.sent").description("delivery status notifications queued").register(metrics);
        this.deliveryLatency = Timer.builder("greyrelay.delivery.latency").description("acceptance to delivery, per recipient")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofDays(5))
                .register(metrics);
    }

    /** One count per recipient settled or deferred by an attempt ({@code greyrelay_deliveries_total{status=…}}). */
    private void counted(String status) {
        deliveries.get(status).increment();
    }

    /** Sets how long the scheduler sleeps between unsignalled looks (tests: to show who started a delivery). */
    void lookEvery(Duration interval) {
        lookEvery = interval;
    }

    /** Loads what the spool holds (after a crash: everything acknowledged) and, if {@code background}, starts delivering. */
    public void start(boolean background) throws SpoolException {
        for (Envelope e : spool.recover()) {
            entries.put(e.id(), e);
            schedule(e);
        }
        if (!entries.isEmpty()) log.info("queue: {} message(s) recovered from the spool", entries.size());
        if (background) {
            running = true;
            loop = Thread.ofVirtual().name("queue-scheduler").start(this::schedulerLoop);
        }
    }

    /**
     * A message was just committed by the SMTP layer: deliver it now. The caller's thread starts the attempt (when a
     * worker is free), rather than wake the scheduler thread to do it.
     */
    public void accept(Envelope e) {
        entries.put(e.id(), e);
        schedule(e);
        dispatchSoon();
    }

    /** Starts what is due on this thread; should that fail, the scheduler thread tries on its next look. */
    private void dispatchSoon() {
        if (!running) return;
        try {
            dispatchDue();
        } catch (RuntimeException ex) {
            log.error("queue: cannot start deliveries now; the scheduler will", ex);
            signal();
        }
    }

    /** Records when {@code e} is due (see {@link #due}). */
    private void schedule(Envelope e) {
        lock.lock();
        try {
            due.add(new Due(e.schedule().nextAttempt(), e.id()));
        } finally {
            lock.unlock();
        }
    }

    /** Ends a claim on a message (an attempt, an operator's change): if it is still queued, it is scheduled again. */
    private void unclaim(QueueId id, CompletableFuture<Void> claim) {
        inFlight.remove(id, claim);
        Envelope e = entries.get(id);
        if (e != null) schedule(e);
    }

    /**
     * Delivers everything due now and waits until no attempt is running and what they delivered has left the spool
     * (tests, CLI "flush"); with fewer workers than due messages it goes round until all have had their attempt.
     * Returns how many attempts it started.
     */
    public int runDue() {
        int started = 0;
        while (true) {
            List<CompletableFuture<Void>> now = dispatchDue();
            started += now.size();
            List<CompletableFuture<Void>> running = new ArrayList<>(inFlight.values());
            running.addAll(now);
            if (!running.isEmpty()) {
                CompletableFuture.allOf(running.toArray(new CompletableFuture[0])).join();
                continue;
            }
            // a failed removal is logged where it is started
            CompletableFuture.allOf(removing.toArray(new CompletableFuture[0])).exceptionally(x -> null).join();
            if (noneDue()) return started;
            // the scheduler thread holds a worker and is about to register its attempt: look again in a moment
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return started;
            }
        }
    }

    private boolean noneDue() {
        Instant now = clock.instant();
        return entries.values().stream().noneMatch(e -> !e.schedule().nextAttempt().isAfter(now) && !inFlight.containsKey(e.id()));
    }

    /**
     * Starts an attempt for each message due now, earliest due first, while workers are free. Any thread may call it:
     * a message is claimed in {@code inFlight} before its attempt starts.
     */
    private List<CompletableFuture<Void>> dispatchDue() {
        Instant now = clock.instant();
        List<CompletableFuture<Void>> started = new ArrayList<>();
        while (true) {
            if (!workers.tryAcquire()) break;
            QueueId id = null;
            CompletableFuture<Void> done = new CompletableFuture<>();
            lock.lock();
            try {
                Due d;
                while ((d = due.peek()) != null && !d.at().isAfter(now)) {
                    due.poll();
                    Envelope e = entries.get(d.id());
                    if (e == null || !e.schedule().nextAttempt().equals(d.at())) continue; // stale
                    if (inFlight.putIfAbsent(d.id(), done) != null) continue; // pushed again when the claim ends
                    id = d.id();
                    break;
                }
            } finally {
                lock.unlock();
            }
            if (id == null) {
                workers.release();
                break;
            }
            QueueId claimed = id;
            try {
                executor.execute(() -> {
                    try {
                        attempt(claimed);
                    } catch (RuntimeException ex) {
                        log.error("{}: delivery attempt failed unexpectedly", claimed, ex);
                    } finally {
                        unclaim(claimed, done);
                        workers.release();
                        done.complete(null);
                        // the worker is free: start what is due now on this thread, no hop through the scheduler
                        dispatchSoon();
                    }
                });
            } catch (RejectedExecutionException closing) {
                unclaim(claimed, done);
                workers.release();
                done.complete(null);
                break;
            }
            started.add(done);
        }
        return started;
    }

    private void attempt(QueueId id) {
        Envelope env = entries.get(id);
        if (env == null) return;
        MDC.put("queue", id.value());
        try {
            Attempt attempt;
            if (policy.expired(env, clock.instant())) {
                attempt = new Attempt.Expired(clock.instant());
            } else {
                Map<String, DeliveryResult> results = delivery.deliver(env);
                attempt = new Attempt.Tried(results, clock.instant());
            }
            Transition t = policy.decide(env, attempt);
            logRecipients(env, attempt, t.message());
            apply(t, false);
        } finally {
            MDC.remove("queue");
        }
    }

    /** One line per recipient this attempt settled or deferred, as Postfix logs {@code to=<…> relay=… status=…}. */
    private void logRecipients(Envelope before, Attempt attempt, Envelope after) {
        for (int i = 0; i < before.recipients().size(); i++) {
            RecipientState b = before.recipients().get(i);
            RecipientState a = after.recipients().get(i);
            if (b.status() != RecipientState.Status.PENDING) continue;
            String to = a.address();
            switch (attempt) {
                case Attempt.Tried t -> {
                    switch (t.results().get(to)) {
                        case null -> { }
                        case DeliveryResult.Delivered d -> {
                            log.info("{}: to=<{}> relay={} status=sent ({})", before.id(), to, delivery.routeFor(to), d.reply());
                            counted("sent");
                            deliveryLatency.record(Duration.between(before.arrival().at(), clock.instant()));
                        }
                        case DeliveryResult.Deferred d -> {
                            log.info("{}: to=<{}> relay={} status=deferred ({})", before.id(), to, delivery.routeFor(to), d.reason());
                            counted("deferred");
                        }
                        case DeliveryResult.Bounced d -> {
                            log.info("{}: to=<{}> relay={} status=bounced ({})", before.id(), to, delivery.routeFor(to), d.reply());
                            counted("bounced");
                        }
                    }
                }
                case Attempt.Expired x -> {
                    log.info("{}: to=<{}> status=expired {}", before.id(), to, a.lastReply());
                    counted("expired");
                }
                case Attempt.Returned r -> { } // logged once for the message by bounce()
            }
        }
    }

    /**
     * Carries out a decision: the new state is persisted first; then the sender hears about what failed, and a message
     * with nothing pending leaves the queue.
     */
    private void apply(Transition t, boolean awaitRemoval) {
        Envelope after = t.message();
        try {
            switch (t) {
                case Transition.Retry r -> {
                    spool.update(after);
                    entries.put(after.id(), after);
                    // failures of this attempt are reported now; the pending rest later
                    notify(after, r.notice());
                }
                case Transition.Done d -> {
                    notify(after, d.notice());
                    // not awaited: the worker goes on while the removal is group-committed. A crash before it is
                    // durable delivers the message again, as a crash between the downstream's 250 and the removal
                    // always could: a duplicate of a delivery in flight (README, "The spool")
                    QueueId id = after.id();
                    CompletableFuture<Void> removal = spool.remove(id);
                    removing.add(removal);
                    removal.whenComplete((ok, failure) -> {
                        removing.remove(removal);
                        if (failure != null) {
                            log.error("{}: finished, but its removal from the spool failed ({}); it will be attempted again after a"
                                    + " restart", id, failure.toString());
                        }
                    });
                    entries.remove(id);
                    log.info("{}: removed", id);
                    if (awaitRemoval) removal.exceptionally(x -> null).join();
                }
            }
        } catch (SpoolException e) {
            // the state is still in memory; the spool keeps the older state, which can only cause a repeat attempt
            log.error("{}: cannot record delivery state: {}", after.id(), e.getMessage());
            entries.put(after.id(), after);
        }
    }

    private void notify(Envelope original, Transition.Notice notice) {
        switch (notice) {
            case Transition.Notice.None n -> { }
            case Transition.Notice.Withheld w when w.reason() == Transition.Notice.Reason.NULL_SENDER ->
                    log.info("{}: no DSN: the sender is the null sender", original.id());
            case Transition.Notice.Withheld w -> log.warn("{}: no DSN about a DSN: failed recipients {} discarded", original.id(),
                    w.failed().stream().map(RecipientState::address).toList());
            case Transition.Notice.Due d -> sendDsn(original, d);
        }
    }

    private void sendDsn(Envelope original, Transition.Notice.Due due) {
        try (Spool.Incoming in = spool.begin()) {
            Instant now = clock.instant();
            byte[] dsn = Dsn.build(hostname, in.id().value(), due.to(), original, due.failed(), originalHeaders(original), now,
                    clock.getZone());
            in.out().write(dsn);
            Envelope env = new Envelope(in.id(), Sender.NULL, List.of(RecipientState.pending(due.to().address())),
                    new Envelope.Arrival(now, new Envelope.Origin.Notification(), dsn.length, List.of(), node),
                    Envelope.Schedule.first(now, maxLifetime));
            in.commit(env);
            log.info("{}: sender non-delivery notification: {}", original.id(), in.id());
            dsnSent.increment();
            accept(env);
        } catch (IOException e) {
            log.error("{}: cannot queue the DSN for {}: {}", original.id(), due.failed().stream().map(RecipientState::address).toList(),
                    e.getMessage());
        }
    }

    /** Our trace fields, then the message's header section as received; at most {@link #MAX_HEADER_BYTES}. */
    private byte[] originalHeaders(Envelope env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String h : env.arrival().traceHeaders()) out.writeBytes((h + "\r\n").getBytes(StandardCharsets.UTF_8));
        try {
            out.writeBytes(spool.readHeaderSection(env.id(), MAX_HEADER_BYTES));
        } catch (IOException e) {
            log.warn("{}: cannot read the original headers: {}", env.id(), e.toString());
        }
        return out.toByteArray();
    }

    // --- operations for the CLI and the admin panel ---

    public List<Envelope> list() {
        return entries.values().stream().sorted(Comparator.comparing(e -> e.arrival().at())).toList();
    }

    public Optional<Envelope> get(QueueId id) {
        return Optional.ofNullable(entries.get(id));
    }

    public int depth() {
        return entries.size();
    }

    /** Downstream conversations carrying a transaction now, and the most at once (benchmarks, tests). */
    public DownstreamDelivery.Concurrency deliveryConcurrency() {
        return delivery.concurrency();
    }

    public Optional<Duration> oldestAge() {
        Instant now = clock.instant();
        return entries.values().stream().map(e -> e.arrival().at()).min(Comparator.naturalOrder()).map(t -> Duration.between(t, now));
    }

    /** What an operator's change did. */
    public enum Change {
        DONE,
        /** Not in the queue (delivered meanwhile, or never queued). */
        NOT_FOUND,
        /** A delivery attempt for it is running; nothing was changed. */
        IN_DELIVERY
    }

    /** The header section as it will be relayed (trace fields on top), at most 64 KB; empty when not queued. */
    public Optional<byte[]> headers(QueueId id) {
        Envelope e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(originalHeaders(e));
    }

    /** Makes a message due now, unless an attempt is running (whose result would overwrite the new schedule). */
    public Change retry(QueueId id) {
        return operate(id, e -> {
            // scheduled (and the scheduler signalled) when the claim ends
            entries.put(e.id(), e.with(e.schedule().dueAt(clock.instant())));
            log.info("{}: retry now, asked by an administrator", e.id());
        });
    }

    /** Removes a message from the queue and the spool without telling anyone (no DSN). */
    public Change delete(QueueId id) throws SpoolException {
        return operateOnSpool(id, e -> {
            spool.delete(id);
            entries.remove(e.id());
            log.info("{}: deleted by an administrator: from={} {} recipient(s) pending", e.id(), e.sender().bracketed(), e.pending().size());
        });
    }

    /**
     * Gives up on the pending recipients as if the downstream had refused them with a 5xx: the sender gets a DSN (not
     * for the null sender, not about a DSN) and the message leaves the queue.
     *
     * @param reason the administrator's words, put in the DSN; control characters are replaced, at most 200 characters
     */
    public Change bounce(QueueId id, String reason) throws SpoolException {
        return operateOnSpool(id, e -> {
            Attempt.Returned returned = Attempt.Returned.byAdministrator(reason, clock.instant());
            log.info("{}: bounced by an administrator: {} pending recipient(s) failed ({})", e.id(), e.pending().size(), returned.reply());
            // an operator's change is done when it is durable
            apply(policy.decide(e, returned), true);
        });
    }

    private interface Operation {
        void apply(Envelope e) throws SpoolException;
    }

    private Change operate(QueueId id, Consumer<Envelope> op) {
        try {
            return operateOnSpool(id, op::accept);
        } catch (SpoolException e) {
            throw new IllegalStateException("unreachable: the operation does not touch the spool", e);
        }
    }

    /**
     * Runs an operator's change with the message claimed in {@code inFlight}, exactly as a delivery attempt claims it,
     * so the two never overlap: a message being delivered is refused, and no attempt starts during the change.
     */
    private Change operateOnSpool(QueueId id, Operation op) throws SpoolException {
        CompletableFuture<Void> claim = new CompletableFuture<>();
        if (inFlight.putIfAbsent(id, claim) != null) {
            return entries.containsKey(id) ? Change.IN_DELIVERY : Change.NOT_FOUND;
        }
        try {
            Envelope e = entries.get(id);
            if (e == null) return Change.NOT_FOUND;
            op.apply(e);
            return Change.DONE;
        } finally {
            unclaim(id, claim);
            claim.complete(null);
            signal();
        }
    }

    public void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void schedulerLoop() {
        while (running) {
            try {
                dispatchDue();
                delivery.closeIdle();
                lock.lock();
                try {
                    // wake at least every lookEvery (a second): the clock may be moved by an operator (or a test) at any time
                    if (!signalled) wake.await(lookEvery.toMillis(), TimeUnit.MILLISECONDS);
                    signalled = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("queue scheduler", e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (loop != null) loop.interrupt();
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.close();
    }
}
