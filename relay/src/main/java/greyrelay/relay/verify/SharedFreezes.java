package greyrelay.relay.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import greyrelay.db.verify.DomainFreeze;
import greyrelay.db.verify.DomainFreezes;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The burst freezes shared by every node on PostgreSQL ({@code verification_freeze}). A domain's row is read at most
 * once per {@code recheck} per node (a flood of one domain costs one read a second, not one per probe), so a freeze set
 * on another node is seen here within that time; one set here is seen here at once. A database failure reads as "not
 * frozen by another node" and is logged: the node's own {@link BurstFreeze} still holds. Thread-safe.
 */
final class SharedFreezes implements FreezeStore {
    private static final Logger log = LoggerFactory.getLogger(SharedFreezes.class);

    private final DomainFreezes store;
    private final Cache<String, Optional<Instant>> seen;

    SharedFreezes(DomainFreezes store, Duration recheck) {
        this.store = store;
        this.seen = Caffeine.newBuilder().expireAfterWrite(recheck).maximumSize(10_000).build();
    }

    @Override
    public Optional<Instant> frozenUntil(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        return seen.get(key, d -> {
            try {
                return store.find(d).map(DomainFreeze::frozenUntil);
            } catch (RuntimeException e) {
                log.warn("verify: shared burst freeze of {} not read: {}", d, e.getMessage());
                return Optional.empty();
            }
        });
    }

    @Override
    public void freeze(String domain, Instant until, String why) {
        String key = domain.toLowerCase(Locale.ROOT);
        try {
            store.freeze(key, until, why);
            seen.asMap().merge(key, Optional.of(until), (old, mine) -> old.isPresent() && old.get().isAfter(until) ? old : mine);
        } catch (RuntimeException e) {
            log.warn("verify: shared burst freeze of {} not stored: {}", key, e.getMessage());
        }
    }
}
