package greyrelay.relay.greylist;

import com.github.benmanes.caffeine.cache.Cache;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.memory.ClockedCache;
import greyrelay.relay.policy.SessionFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spamtraps (OpenBSD spamd's greytrapping): the addresses in {@code greylist.spamtraps} never exist, so a client
 * that sends to one is a spammer working from a list; its network is blocked for {@code greylist.trapDuration}.
 * Blocks are stored in the database ({@link TrapBlockStore}), shared by all nodes, listed with the reason.
 *
 * <p>That a network is <em>not</em> blocked is remembered for {@link #UNBLOCKED_TTL} (at most {@value #MAX_UNBLOCKED}
 * networks), so a busy client costs no read per recipient: a hit on this node blocks at once, a hit on another node
 * reaches this one within that time. A block itself is read every time, so an unblock in the panel is honoured at once.
 */
final class Spamtraps {
    private static final Logger log = LoggerFactory.getLogger(Spamtraps.class);

    static final Duration UNBLOCKED_TTL = Duration.ofSeconds(10);
    static final int MAX_UNBLOCKED = 100_000;

    private final Set<String> traps;
    private final Cache<String, Boolean> unblocked;
    private final TrapBlockStore store;
    private final Triplet.Keying keying;
    private final Duration duration;
    private final Counter hits;
    private final boolean readOnly;

    Spamtraps(Collection<String> traps, TrapBlockStore store, Triplet.Keying keying, Duration duration, Clock clock,
            MeterRegistry metrics) {
        this(Set.copyOf(traps.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList()), unblockedCache(clock), store, keying,
                duration, metrics, false);
    }

    private Spamtraps(Set<String> traps, Cache<String, Boolean> unblocked, TrapBlockStore store, Triplet.Keying keying,
            Duration duration, MeterRegistry metrics, boolean readOnly) {
        this.unblocked = unblocked;
        this.traps = traps;
        this.store = store;
        this.keying = keying;
        this.duration = duration;
        this.hits = Counter.builder("greyrelay.greylist.trap.hits").description("messages sent to a spamtrap").register(metrics);
        this.readOnly = readOnly;
    }

    /** The same traps for a dry run: {@link #hit} says what it would block and blocks nothing. */
    Spamtraps readOnly(MeterRegistry metrics) {
        return new Spamtraps(traps, unblocked, store, keying, duration, metrics, true);
    }

    /** Networks read as not blocked, remembered briefly so a flood from them does not read the store each time. */
    private static Cache<String, Boolean> unblockedCache(Clock clock) {
        return ClockedCache.builder(clock)
                .expireAfterWrite(UNBLOCKED_TTL)
                .maximumSize(MAX_UNBLOCKED)
                .build();
    }

    boolean isEmpty() {
        return traps.isEmpty();
    }

    boolean isTrap(Mailbox recipient) {
        return recipient != null && traps.contains(Triplet.recipient(recipient));
    }

    String network(SessionFacts s) {
        return keying.network(s.clientAddress());
    }

    /** Records a hit and blocks (or keeps blocking) the client's network; returns the block as stored. */
    TrapBlock hit(SessionFacts s, String transactionId, Sender sender, String trap, Instant now) {
        hits.increment();
        String network = network(s);
        String reason = "sent to spamtrap <" + trap + "> from " + s.clientLabel() + " with sender " + sender.bracketed();
        TrapBlock hit = new TrapBlock(network, now, now.plus(duration), 1, s.clientAddress().getHostAddress(), sender.toString(),
                trap, reason);
        if (readOnly) { // what block() would store: the later expiry of this hit and a block in force
            return store.active(network, now).filter(b -> b.expiresAt().isAfter(hit.expiresAt()))
                    .map(b -> new TrapBlock(network, now, b.expiresAt(), b.hits() + 1, hit.clientIp(), hit.sender(), trap, reason))
                    .orElse(hit);
        }
        unblocked.invalidate(network);
        TrapBlock block = store.block(hit);
        log.warn("{}: spamtrap: {}; client network {} blocked until {} ({} hit(s))", transactionId, reason, network,
                block.expiresAt(), block.hits());
        return block;
    }

    Optional<TrapBlock> activeBlock(SessionFacts s, Instant now) {
        String network = network(s);
        if (unblocked.getIfPresent(network) != null) return Optional.empty();
        Optional<TrapBlock> block = store.active(network, now);
        if (block.isEmpty()) unblocked.put(network, Boolean.TRUE);
        return block;
    }
}
