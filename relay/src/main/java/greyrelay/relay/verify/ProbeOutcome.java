package greyrelay.relay.verify;

import greyrelay.db.verify.DomainTrait;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A finished probe: its result, the target that decided it (if any host answered), the transcript, how long it took
 * and what it taught us about the domain.
 *
 * @param target     the MX address whose conversation decided the result; null when none did (DNS outcomes, nothing
 *                   reachable)
 * @param transcript every conversation of this probe, {@code C:}/{@code S:}/{@code --} lines; remote text made
 *                   printable and bounded by {@link greyrelay.relay.smtpclient.Transcript}
 * @param observed   domain traits this probe observed
 * @param cleared    domain traits this probe showed to be no longer true
 */
public record ProbeOutcome(ProbeResult result, ProbeTarget target, String transcript, Duration duration,
        Set<DomainTrait> observed, Set<DomainTrait> cleared) {

    public ProbeOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(transcript, "transcript");
        Objects.requireNonNull(duration, "duration");
        observed = observed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(observed));
        cleared = cleared.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(cleared));
    }

    public Optional<ProbeTarget> answeredBy() {
        return Optional.ofNullable(target);
    }
}
