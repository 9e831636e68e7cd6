package greyrelay.admin;

/**
 * Told after the panel changed shared state that a relay keeps in memory, so the relay embedding the panel applies the
 * change at once instead of at its next refresh. The relay supplies it ({@code Relay} invalidates its whitelist snapshot
 * and its rate-limit override table); a panel running alone ({@code greyrelay admin}) has nothing to tell, and every
 * relay node picks the change up from the database within its refresh interval ({@code greylist.whitelistRefresh},
 * {@code rateLimits.overrideRefresh}).
 *
 * <p>A greylist triplet deleted here is told too: the relay remembers the triplets it saw passing for a minute, and
 * forgets them at once (other nodes honour the deletion within that minute). A pass needs no notice: the relay reads a
 * triplet that is not passing from the database at every decision; nor do auto-whitelist counters and spamtrap blocks. Called on the request's thread after the database write has committed; implementations return quickly and
 * never throw.
 */
@FunctionalInterface
public interface ChangeListener {
    /** What changed. */
    enum What {
        /** A whitelist entry was added, deleted or imported. */
        WHITELISTS,
        /** A rate-limit override was added, changed or deleted. */
        RATE_LIMIT_OVERRIDES,
        /** A greylist triplet was deleted by hand. */
        GREYLIST
    }

    void changed(What what);

    /** For a panel without a relay in its process. */
    ChangeListener NONE = what -> {};
}
