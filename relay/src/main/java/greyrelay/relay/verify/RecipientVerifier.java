package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.VerificationCache;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.config.RecipientVerificationConfig;
import greyrelay.relay.smtpclient.ClientLimits;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a recipient in one of our domains exists: asks the downstream MTA with the same polite probe as sender
 * verification ({@code EHLO}, {@code MAIL FROM:<>}, {@code RCPT TO}, {@code RSET}, {@code QUIT}), caches the answer
 * in the shared cache (kind RECIPIENT, lifetimes from {@link CachePolicy.Lifetimes#forRecipients}), or looks the
 * address up in a static list instead. The downstream is our own server, so there are no MX lookups and no fairness
 * budget, only {@link Slots} for the probes at once; concurrent requests for one address share one probe
 * ({@link SingleFlight}), and the {@link ProbeHistory} records them as it records sender probes. Thread-safe.
 */
public final class RecipientVerifier {
    private static final Logger log = LoggerFactory.getLogger(RecipientVerifier.class);

    /** Settings from {@code recipientVerification.*}. */
    public record Settings(RecipientVerificationConfig.Source source, Set<String> list, Duration timeout, int maxConcurrent) {
        public Settings {
            Objects.requireNonNull(source, "source");
            list = Set.copyOf(list);
        }

        public static Settings from(RecipientVerificationConfig c) {
            return new Settings(c.source(), Set.copyOf(c.recipients()), c.timeout(), c.maxConcurrent());
        }
    }

    private final Prober prober;
    private final Function<String, InetSocketAddress> downstream;
    private final VerdictMemo cache;
    private final CachePolicy policy;
    private final ProbeHistory history;
    private final Clock clock;
    private final Settings settings;
    private final Slots slots;
    private final SingleFlight<RecipientStatus> flights = new LocalSingleFlight<>();

    /**
     * @param downstream recipient domain → where to ask (resolved when called)
     * @param policy     the recipient lifetimes ({@link CachePolicy.Lifetimes#forRecipients})
     */
    public RecipientVerifier(Prober prober, Function<String, InetSocketAddress> downstream, VerificationCache cache,
            CachePolicy policy, ProbeHistory history, Clock clock, Settings settings) {
        this(prober, downstream, new VerdictMemo(cache, clock, false), policy, history, clock, settings);
    }

    /** With the verdicts shared with the node's sender verification (one memory of recent reads). */
    RecipientVerifier(Prober prober, Function<String, InetSocketAddress> downstream, VerdictMemo cache,
            CachePolicy policy, ProbeHistory history, Clock clock, Settings settings) {
        this.prober = prober;
        this.downstream = downstream;
        this.cache = cache;
        this.policy = policy;
        this.history = history;
        this.clock = clock;
        this.settings = settings;
        this.slots = new Slots(settings.maxConcurrent());
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
        // recipients are never refreshed ahead of expiry: any live verdict answers
        return switch (policy.answer(cache.find(CacheKind.RECIPIENT, key), now)) {
            case CachePolicy.Cached.Fresh f -> hit(recipient, sessionId, f.entry(), now);
            case CachePolicy.Cached.Refresh r -> hit(recipient, sessionId, r.entry(), now);
            case CachePolicy.Cached.Reprobe r -> hit(recipient, sessionId, r.entry(), now);
            case CachePolicy.Cached.Miss m -> {
                history.cacheMiss(CacheKind.RECIPIENT);
                yield probeAndWait(recipient, sessionId);
            }
        };
    }

    /**
     * What {@link #verify} would answer from the list or the cache alone, for a dry run: nothing is asked of the
     * downstream and nothing is written. With nothing cached the answer is the downstream's to give: unknown here.
     */
    public RecipientStatus fromCache(Mailbox recipient, String sessionId) {
        String key = recipient.normalised();
        if (settings.source() == RecipientVerificationConfig.Source.LIST || !Prober.wireSafe(recipient)) {
            return verify(recipient, sessionId); // answered without the downstream or the cache
        }
        return switch (policy.answer(cache.find(CacheKind.RECIPIENT, key), clock.instant())) {
            case CachePolicy.Cached.Fresh f -> AnswerPolicy.recipientCached(f.entry());
            case CachePolicy.Cached.Refresh r -> AnswerPolicy.recipientCached(r.entry());
            case CachePolicy.Cached.Reprobe r -> AnswerPolicy.recipientCached(r.entry());
            case CachePolicy.Cached.Miss m -> new RecipientStatus.TempFail("nothing cached for <" + key
                    + ">: a real session would ask the downstream now (--probe to ask it)");
        };
    }

    private RecipientStatus hit(Mailbox recipient, String sessionId, CacheEntry e, Instant now) {
        history.cacheHit(CacheKind.RECIPIENT, sessionId, recipient, e, now);
        return AnswerPolicy.recipientCached(e);
    }

    private RecipientStatus probeAndWait(Mailbox recipient, String sessionId) {
        SingleFlight.Flight<RecipientStatus> flight = flights.enter(recipient.normalised());
        if (flight instanceof SingleFlight.Flight.Lead<RecipientStatus> lead) {
            Thread.ofVirtual().name("verify-recipient").start(() -> probe(recipient, sessionId, ProbeOrigin.INLINE, lead));
        }
        try {
            return flight.result().get(settings.timeout().toMillis() * 3 + 1000, TimeUnit.MILLISECONDS);
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
        if (!(flights.enter(recipient.normalised()) instanceof SingleFlight.Flight.Lead<RecipientStatus> lead)) {
            return new Reprobe.Joined();
        }
        Thread.ofVirtual().name("verify-recipient").start(() -> probe(recipient, "admin", ProbeOrigin.ADMIN, lead));
        return new Reprobe.Started();
    }

    private void probe(Mailbox recipient, String sessionId, ProbeOrigin origin, SingleFlight.Flight.Lead<RecipientStatus> lead) {
        try (lead) {
            lead.finish(probeInTurn(recipient, sessionId, origin));
        }
    }

    private RecipientStatus probeInTurn(Mailbox recipient, String sessionId, ProbeOrigin origin) {
        try {
            Optional<Permit> slot = slots.take(settings.timeout());
            if (slot.isEmpty()) return new RecipientStatus.TempFail("too many recipient verifications at once");
            Permit turn = slot.get();
            try (turn) {
                return probeNow(recipient, sessionId, origin);
            }
        } catch (InterruptedException e) {
            return new RecipientStatus.TempFail("interrupted");
        } catch (RuntimeException e) {
            log.error("verify: recipient <{}> not verified: {}", recipient, e.toString(), e);
            return new RecipientStatus.TempFail("local problem: " + e.getMessage());
        }
    }

    private RecipientStatus probeNow(Mailbox recipient, String sessionId, ProbeOrigin origin) {
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
        // our own downstream's answer replaces whatever is stored: nothing older is kept over it
        Optional<CacheEntry> entry = policy.merge(Optional.empty(), CacheKind.RECIPIENT, recipient, outcome, now);
        try {
            entry.ifPresent(cache::put);
        } catch (RuntimeException e) {
            log.warn("verify: recipient result for <{}> not stored: {}", recipient, e.getMessage());
        }
        history.probed(CacheKind.RECIPIENT, origin, sessionId, recipient, outcome, now);
        return AnswerPolicy.recipientProbed(outcome.result());
    }
}
