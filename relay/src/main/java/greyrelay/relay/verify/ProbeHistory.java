package greyrelay.relay.verify;

import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.CacheStatus;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.smtpclient.ServerReply;
import greyrelay.relay.text.SafeText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What sender and recipient verification did, told the same way for both: a probe-history row (queued to the
 * {@link ProbeLogWriter}), the metrics ({@code greyrelay.verify.cache.hits}, {@code .cache.misses}, {@code .probes},
 * {@code .probe.duration}, tagged by kind) and, for a probe, one log line with the session id. Answers from the cache
 * are stored too unless {@code verification.logCacheHits} is off. Thread-safe.
 */
final class ProbeHistory {
    private static final Logger log = LoggerFactory.getLogger(ProbeHistory.class);

    private final ProbeLogWriter writer;
    private final MeterRegistry metrics;
    private final String node;
    private final boolean logCacheHits;
    private final Map<CacheKind, Counter> misses = new EnumMap<>(CacheKind.class);
    private final Map<CacheKind, Timer> probeTime = new EnumMap<>(CacheKind.class);

    /**
     * @param node         this node's name in the history ({@code node.name})
     * @param logCacheHits store answers from the cache in the history too
     */
    ProbeHistory(ProbeLogWriter writer, MeterRegistry metrics, String node, boolean logCacheHits) {
        this.writer = writer;
        this.metrics = metrics;
        this.node = node;
        this.logCacheHits = logCacheHits;
        for (CacheKind kind : CacheKind.values()) {
            misses.put(kind, Counter.builder("greyrelay.verify.cache.misses").tag("kind", tag(kind)).register(metrics));
            probeTime.put(kind, Timer.builder("greyrelay.verify.probe.duration").tag("kind", tag(kind)).register(metrics));
        }
    }

    /** An answer from the cache, for connection {@code sessionId} at {@code now}. */
    void cacheHit(CacheKind kind, String sessionId, Mailbox address, CacheEntry e, Instant now) {
        metrics.counter("greyrelay.verify.cache.hits", "kind", tag(kind), "status", e.status().name().toLowerCase(Locale.ROOT))
                .increment();
        if (logCacheHits) {
            writer.accept(new ProbeRecord(null, now, node, sessionId, kind, "CACHE", address.normalised(), address.domain(),
                    null, null, outcomeName(e.status()), e.replyCode(), e.replyText(), null, 0, true));
        }
    }

    /** Nothing usable in the cache. */
    void cacheMiss(CacheKind kind) {
        misses.get(kind).increment();
    }

    /** A probe that finished at {@code now}. */
    void probed(CacheKind kind, ProbeOrigin origin, String sessionId, Mailbox address, ProbeOutcome outcome, Instant now) {
        ProbeResult r = outcome.result();
        Integer code = r.serverReply().map(ServerReply::code).orElse(null);
        String text = r.detail().orElse(null);
        String mxHost = outcome.answeredBy().map(ProbeTarget::host).orElse(null);
        String mxIp = outcome.answeredBy().map(t -> t.address().getHostAddress()).orElse(null);
        writer.accept(new ProbeRecord(null, now, node, sessionId, kind, origin.name(), address.normalised(), address.domain(),
                mxHost, mxIp, r.outcome(), code, text, outcome.transcript(),
                outcome.duration().toMillis(), false));
        metrics.counter("greyrelay.verify.probes", "kind", tag(kind), "outcome", r.outcome().toLowerCase(Locale.ROOT)).increment();
        probeTime.get(kind).record(outcome.duration());
        log.info("{}: verify: {} <{}> {} probe via {}: {} {} in {} ms", sessionId, tag(kind), address,
                origin.name().toLowerCase(Locale.ROOT), outcome.answeredBy().map(ProbeTarget::toString).orElse("-"),
                r.outcome(), text == null ? "" : text, outcome.duration().toMillis());
    }

    /**
     * An address that was not probed because it cannot go on the wire as written: a history row with outcome
     * {@code UNPROBEABLE} (origin INLINE), so the administrator sees why it was answered without a probe.
     */
    void unprobeable(CacheKind kind, String sessionId, Mailbox address, String why, Instant now) {
        writer.accept(new ProbeRecord(null, now, node, sessionId, kind, ProbeOrigin.INLINE.name(), address.normalised(),
                address.domain(), null, null, "UNPROBEABLE", null, why, "not probed: " + why, 0, false));
        metrics.counter("greyrelay.verify.probes", "kind", tag(kind), "outcome", "unprobeable").increment();
        log.info("{}: verify: {} <{}> not probed: {}", sessionId, tag(kind), SafeText.printable(address.address()), why);
    }

    /** A cached status in the history's outcome words (those of a probe's {@link ProbeResult#outcome()}). */
    static String outcomeName(CacheStatus s) {
        return switch (s) {
            case VALID -> "DELIVERABLE";
            case INVALID -> "UNDELIVERABLE";
            case TEMPFAIL -> "TEMPFAIL";
            case UNVERIFIABLE -> "UNVERIFIABLE";
        };
    }

    private static String tag(CacheKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
