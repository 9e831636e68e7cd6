package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.RecipientVerificationConfig;
import greyrelay.relay.smtpclient.ClientLimits;
import greyrelay.relay.smtpclient.ServerReply;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a recipient in one of our domains exists: asks the downstream MTA with the same polite probe as sender
 * verification ({@code EHLO}, {@code MAIL FROM:<>}, {@code RCPT TO}, {@code RSET}, {@code QUIT}), caches the answer
 * in the shared cache (kind RECIPIENT), or looks the address up in a static list instead. The downstream is our own
 * server, so there are no MX lookups and no fairness budget, only a cap on probes at once; concurrent requests for
 * one address share one probe. Thread-safe.
 */
public final class RecipientVerifier {
    private static final Logger log = LoggerFactory.getLogger(RecipientVerifier.class);

    /** Settings from {@code recipientVerification.*}, plus this node's name for the history. */
    public record Settings(RecipientVerificationConfig.Source source, Set<String> list, Duration positiveTtl,
            Duration negativeTtl, Duration tempFailTtl, Duration timeout, int maxConcurrent, String node, boolean logCacheHits) {
        public Settings {
            Objects.requireNonNull(source, "source");
            list = Set.copyOf(list);
        }

        public static Settings from(RecipientVerificationConfig c, String node, boolean logCacheHits) {
            return new Settings(c.source(), Set.copyOf(c.recipients()), c.positiveTtl(), c.negativeTtl(), c.tempFailTtl(),
                    c.timeout(), c.maxConcurrent(), node, logCacheHits);
        }
    }

    private final Prober prober;
    private final Function<String, InetSocketAddress> downstream;
    private final VerificationCache cache;
    private final ProbeLogWriter history;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Settings settings;
    private final Semaphore slots;
    private final ConcurrentHashMap<String, CompletableFuture<RecipientStatus>> inFlight = new ConcurrentHashMap<>();

    /** @param downstream recipient domain → where to ask (resolved when called) */
    public RecipientVerifier(Prober prober, Function<String, InetSocketAddress> downstream, VerificationCache cache,
            ProbeLogWriter history, Clock clock, MeterRegistry metrics, Settings settings) {
        this.prober = prober;
        this.downstream = downstream;
        this.cache = cache;
        this.history = history;
        this.clock = clock;
        this.metrics = metrics;
        this.settings = settings;
        this.slots = new Semaphore(settings.maxConcurrent());
    }

    public RecipientStatus verify(Mailbox recipient, String sessionId) {
        String key = recipient.normalised();
        if (settings.source() == RecipientVerificationConfig.Source.LIST) {
            boolean listed = settings.list().contains(key) || settings.list().contains("@" + recipient.domain());
            return listed ? new RecipientStatus.Exists("listed") : new RecipientStatus.Unknown("not in recipientVerification.recipients");
        }
        if (!Prober.wireSafe(recipient)) {
            return new RecipientStatus.Unknown("not a plain local@domain address; cannot be verified");
        }
        Instant now = clock.instant();
        Optional<CacheEntry> cached = cache.find(CacheKind.RECIPIENT, key).filter(e -> !e.isExpired(now));
        if (cached.isPresent()) {
            CacheEntry e = cached.get();
            metrics.counter("greyrelay.verify.cache.hits", "kind", "recipient", "status", e.status().name().toLowerCase(Locale.ROOT))
                    .increment();
            if (settings.logCacheHits()) {
                history.accept(new ProbeRecord(null, now, settings.node(), sessionId, CacheKind.RECIPIENT, "CACHE", key,
                        recipient.domain(), null, null, SenderVerifier.outcomeName(e.status()), e.replyCode(), e.replyText(),
                        null, 0, true));
            }
            return status(e.status(), "cached: " + e.replyCode() + " " + e.replyText());
        }
        metrics.counter("greyrelay.verify.cache.misses", "kind", "recipient").increment();
        CompletableFuture<RecipientStatus> mine = new CompletableFuture<>();
        CompletableFuture<RecipientStatus> running = inFlight.putIfAbsent(key, mine);
        if (running == null) {
            running = mine;
            Thread.ofVirtual().name("verify-recipient").start(() -> probe(recipient, key, sessionId, "INLINE", mine));
        }
        try {
            return running.get(settings.timeout().toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new RecipientStatus.TempFail("downstream did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RecipientStatus.TempFail("interrupted");
        } catch (ExecutionException e) {
            return new RecipientStatus.TempFail("probe failed: " + e.getCause());
        }
    }

    /**
     * An administrator's "verify again now": asks the downstream afresh in the background, whatever the cache holds,
     * and returns at once. The answer is cached and recorded like any recipient probe's, with origin ADMIN.
     */
    Reprobe reprobe(Mailbox recipient) {
        if (settings.source() == RecipientVerificationConfig.Source.LIST) {
            return new Reprobe.Refused("recipients are checked against recipientVerification.recipients, not probed");
        }
        if (!Prober.wireSafe(recipient)) return new Reprobe.Refused("not a plain ASCII local@domain address: it is never probed");
        String key = recipient.normalised();
        CompletableFuture<RecipientStatus> mine = new CompletableFuture<>();
        if (inFlight.putIfAbsent(key, mine) != null) return new Reprobe.Joined();
        Thread.ofVirtual().name("verify-recipient").start(() -> probe(recipient, key, "admin", "ADMIN", mine));
        return new Reprobe.Started();
    }

    private void probe(Mailbox recipient, String key, String sessionId, String origin, CompletableFuture<RecipientStatus> future) {
        RecipientStatus status;
        try {
            if (!slots.tryAcquire(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                status = new RecipientStatus.TempFail("too many recipient verifications at once");
            } else {
                try {
                    status = probeNow(recipient, key, sessionId, origin);
                } finally {
                    slots.release();
                }
            }
        } catch (InterruptedException e) {
            status = new RecipientStatus.TempFail("interrupted");
        } catch (RuntimeException e) {
            log.error("verify: recipient <{}> not verified: {}", recipient, e.toString(), e);
            status = new RecipientStatus.TempFail("local problem: " + e.getMessage());
        }
        inFlight.remove(key, future);
        future.complete(status);
    }

    private RecipientStatus probeNow(Mailbox recipient, String key, String sessionId, String origin) {
        InetSocketAddress where;
        try {
            where = downstream.apply(recipient.domain());
        } catch (RuntimeException e) {
            return new RecipientStatus.TempFail("downstream address unknown: " + e.getMessage());
        }
        if (where.isUnresolved()) return new RecipientStatus.TempFail("cannot resolve downstream host " + where.getHostString());
        Duration t = settings.timeout();
        ProbeOutcome outcome = prober.probeAt(where, where.getHostString(), recipient, new ClientLimits(t, t, t, 2048, 100));
        Instant now = clock.instant();
        ProbeResult r = outcome.result();
        ServerReply reply = switch (r) {
            case ProbeResult.Deliverable d -> d.reply();
            case ProbeResult.Undeliverable u -> u.reply();
            case ProbeResult.Unknown u -> u.reply();
            default -> null;
        };
        CacheStatus status = switch (r) {
            case ProbeResult.Deliverable d -> CacheStatus.VALID;
            case ProbeResult.Undeliverable u -> CacheStatus.INVALID;
            default -> CacheStatus.TEMPFAIL;
        };
        String text = reply != null ? reply.text() : r instanceof ProbeResult.TempFail tf ? tf.why()
                : r instanceof ProbeResult.Unverifiable u ? u.why() : r.outcome();
        Duration ttl = switch (status) {
            case VALID -> settings.positiveTtl();
            case INVALID -> settings.negativeTtl();
            default -> settings.tempFailTtl();
        };
        if (!ttl.isZero()) {
            try {
                cache.put(new CacheEntry(CacheKind.RECIPIENT, key, recipient.domain(), status, reply == null ? null : reply.code(),
                        text, where.getHostString(), now, null, now.plus(ttl), now.plus(ttl)));
            } catch (RuntimeException e) {
                log.warn("verify: recipient result for <{}> not stored: {}", recipient, e.getMessage());
            }
        }
        history.accept(new ProbeRecord(null, now, settings.node(), sessionId, CacheKind.RECIPIENT, origin, key,
                recipient.domain(), where.getHostString(), where.getAddress().getHostAddress(), r.outcome(),
                reply == null ? null : reply.code(), text, outcome.transcript(), outcome.duration().toMillis(), false));
        metrics.counter("greyrelay.verify.probes", "kind", "recipient", "outcome", r.outcome().toLowerCase(Locale.ROOT)).increment();
        log.info("{}: verify: recipient <{}> at downstream {}: {} {} in {} ms", sessionId, recipient, where, r.outcome(),
                text == null ? "" : text, outcome.duration().toMillis());
        return status(status, "downstream: " + (reply == null ? text : reply.toString()));
    }

    private static RecipientStatus status(CacheStatus s, String why) {
        return switch (s) {
            case VALID -> new RecipientStatus.Exists(why);
            case INVALID -> new RecipientStatus.Unknown(why);
            case TEMPFAIL, UNVERIFIABLE -> new RecipientStatus.TempFail(why);
        };
    }
}
