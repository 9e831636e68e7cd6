package greyrelay.relay.spf;

import greyrelay.relay.policy.SessionNotes;
import java.util.Objects;
import java.util.Optional;

/**
 * The SPF result of one transaction, kept in {@link SessionNotes} under {@link #KEY} by {@link SpfCheck} so that it
 * runs once per transaction and later checks can read it. The greylist check keys its triplet on
 * {@link #authorisedDomain()} when present ({@code greylist.spfDomainKey}):
 *
 * <pre>{@code
 * Optional<String> spfDomain = SpfOutcome.forTransaction(request.notes(), request.tx().id())
 *         .flatMap(SpfOutcome::authorisedDomain);
 * }</pre>
 *
 * Absent when SPF is disabled, exempt for every recipient so far, or not evaluated yet in this transaction (checks
 * after RCPT step 9 see it; earlier ones do not).
 */
public record SpfOutcome(String transactionId, SpfEvaluation evaluation) {

    /** Where {@link SpfCheck} leaves the outcome; one value per connection, replaced by each new transaction. */
    public static final SessionNotes.Key<SpfOutcome> KEY = new SessionNotes.Key<>("spf.outcome");

    public SpfOutcome {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** The outcome recorded for {@code transactionId}, if SPF was evaluated in that transaction. */
    public static Optional<SpfOutcome> forTransaction(SessionNotes notes, String transactionId) {
        return notes.get(KEY).filter(o -> o.transactionId().equals(transactionId));
    }

    public SpfResult result() {
        return evaluation.result();
    }

    /** The checked domain: the MAIL FROM domain, or the HELO name for the null sender (lower case). */
    public String domain() {
        return evaluation.domain();
    }

    /** The domain that authorised the client, only when the result is {@code pass}. */
    public Optional<String> authorisedDomain() {
        return evaluation.result() == SpfResult.PASS ? Optional.of(evaluation.domain()) : Optional.empty();
    }
}
