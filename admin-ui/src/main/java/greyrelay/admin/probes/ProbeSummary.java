package greyrelay.admin.probes;

import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.ProbeRecord;
import java.time.Instant;

/** A probe-history row for lists and the API: the record without its transcript (that is on the probe's own page). */
public record ProbeSummary(long id, Instant probedAt, String node, String sessionId, CacheKind kind, String origin, String address,
        String domain, String mxHost, String mxIp, String outcome, Integer replyCode, String replyText, long durationMs,
        boolean cacheHit) {

    static ProbeSummary of(ProbeRecord r) {
        return new ProbeSummary(r.id(), r.probedAt(), r.node(), r.sessionId(), r.kind(), r.origin(), r.address(), r.domain(),
                r.mxHost(), r.mxIp(), r.outcome(), r.replyCode(), r.replyText(), r.durationMs(), r.cacheHit());
    }
}
