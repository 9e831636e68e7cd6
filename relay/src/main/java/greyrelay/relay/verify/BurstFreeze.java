package greyrelay.relay.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The burst freeze of one sender domain: when {@code localParts} distinct local parts are seen within {@code window}
 * (a forged-sender run against an innocent domain), probes to it pause for {@code freeze}. A zero freeze never
 * freezes. In a cluster the scheduler also {@link #adopt}s the freezes other nodes share ({@link FreezeStore}) and
 * shares its own; the local parts are counted per node. Not thread-safe: the {@link ProbeScheduler}'s lock guards it.
 */
final class BurstFreeze {
    private final int localParts;
    private final Duration window;
    private final Duration freeze;
    /** Distinct local parts seen within the window, oldest first. */
    private final LinkedHashMap<String, Instant> recent = new LinkedHashMap<>();
    private Instant frozenUntil;

    BurstFreeze(int localParts, Duration window, Duration freeze) {
        this.localParts = localParts;
        this.window = window;
        this.freeze = freeze;
    }

    /** The end of the latest freeze (which may be over), or null when the domain was never frozen. */
    Instant frozenUntil() {
        return frozenUntil;
    }

    boolean isFrozen(Instant now) {
        return frozenUntil != null && now.isBefore(frozenUntil);
    }

    /**
     * Takes over a freeze set elsewhere (another node, through the shared {@link FreezeStore}): the later of the two
     * ends holds.
     */
    void adopt(Instant until) {
        if (frozenUntil == null || until.isAfter(frozenUntil)) frozenUntil = until;
    }

    /** Records a local part (lower case); true when that makes a burst, which freezes the domain from {@code now}. */
    boolean sight(String localPart, Instant now) {
        if (freeze.isZero()) return false;
        Instant horizon = now.minus(window);
        for (Iterator<Instant> it = recent.values().iterator(); it.hasNext(); ) {
            if (!it.next().isAfter(horizon)) it.remove(); else break;
        }
        recent.remove(localPart);
        recent.put(localPart, now);
        if (recent.size() < localParts) return false;
        frozenUntil = now.plus(freeze);
        recent.clear();
        return true;
    }

    /** Whether nothing was seen within the window: the domain's state can be forgotten. */
    boolean isQuiet(Instant now) {
        Instant horizon = now.minus(window);
        return recent.values().stream().noneMatch(t -> t.isAfter(horizon));
    }
}
