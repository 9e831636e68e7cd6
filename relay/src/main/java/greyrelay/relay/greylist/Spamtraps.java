package greyrelay.relay.greylist;

import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.relay.address.Mailbox;
import greyrelay.relay.address.Sender;
import greyrelay.relay.policy.SessionFacts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 */
final class Spamtraps {
    private static final Logger log = LoggerFactory.getLogger(Spamtraps.class);

    private final Set<String> traps;
    private final TrapBlockStore store;
    private final Triplet.Keying keying;
    private final Duration duration;
    private final Counter hits;
    private final boolean readOnly;

    Spamtraps(Collection<String> traps, TrapBlockStore store, Triplet.Keying keying, Duration duration, MeterRegistry metrics) {
        this(Set.copyOf(traps.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList()), store, keying, duration, metrics, false);
    }

    private Spamtraps(Set<String> traps, TrapBlockStore store, Triplet.Keying keying, Duration duration, MeterRegistry metrics,
            boolean readOnly) {
        this.traps = traps;
        this.store = store;
        this.keying = keying;
        this.duration = duration;
        this.hits = Counter.builder("greyrelay.greylist.trap.hits").description("messages sent to a spamtrap").register(metrics);
        this.readOnly = readOnly;
    }

    /** The same traps for a dry run: {@link #hit} says what it would block and blocks nothing. */
    Spamtraps readOnly(MeterRegistry metrics) {
        return new Spamtraps(traps, store, keying, duration, metrics, true);
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
        TrapBlock block = store.block(hit);
        log.warn("{}: spamtrap: {}; client network {} blocked until {} ({} hit(s))", transactionId, reason, network,
                block.expiresAt(), block.hits());
        return block;
    }

    Optional<TrapBlock> activeBlock(SessionFacts s, Instant now) {
        return store.active(network(s), now);
    }
}
