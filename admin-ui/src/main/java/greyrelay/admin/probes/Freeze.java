package greyrelay.admin.probes;

import java.time.Instant;
import java.util.Objects;

/**
 * A sender domain's burst freeze as the relay this panel runs in sees it: probes to the domain are paused until
 * {@code until}; meanwhile its senders are answered from the cache, the domain's profile and vouching.
 *
 * @param why one line: what froze it (a burst of distinct new local parts within the window)
 */
public record Freeze(Instant until, String why) {
    public Freeze {
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(why, "why");
    }
}
