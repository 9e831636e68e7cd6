package greyrelay.relay.verify;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import greyrelay.db.net.NetworkPrefixes;
import greyrelay.db.verify.LearnedNetwork;
import greyrelay.db.verify.VouchStore;
import greyrelay.db.verify.VouchTally;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vouching's memory, in {@link VouchStore} (shared by nodes): the networks (grouped as the greylist groups clients)
 * that delivered mail from verified senders of each domain, kept {@code greylist.maxAge} since last seen, and how many
 * senders of a domain were vouched for. Also the metric {@code greyrelay_verify_vouched_total{reason}}.
 *
 * <p>The database never stops mail here: an unreadable network list is "not known" (the sender gets the
 * {@code 451 4.4.5} it would have got without vouching), a failed write is logged and forgotten. Thread-safe.
 */
final class VouchBook {
    private static final Logger log = LoggerFactory.getLogger(VouchBook.class);
    /** A network seen again within this long is not written again (a busy sender costs no write per message). */
    static final Duration TOUCH_AFTER = Duration.ofHours(1);

    private final VouchStore store;
    private final NetworkPrefixes prefixes;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<Vouching.Reason, Counter> vouched = new EnumMap<>(Vouching.Reason.class);
    /** (domain, network) pairs this node wrote within {@link #TOUCH_AFTER}: no database round trip for them. */
    private final Cache<String, Boolean> recentlyLearned = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(TOUCH_AFTER).build();

    private final boolean readOnly;

    VouchBook(VouchStore store, NetworkPrefixes prefixes, Duration maxAge, Clock clock, MeterRegistry metrics) {
        this(store, prefixes, maxAge, clock, metrics, false);
    }

    private VouchBook(VouchStore store, NetworkPrefixes prefixes, Duration maxAge, Clock clock, MeterRegistry metrics,
            boolean readOnly) {
        this.readOnly = readOnly;
        this.store = store;
        this.prefixes = prefixes;
        this.maxAge = maxAge;
        this.clock = clock;
        for (Vouching.Reason r : Vouching.Reason.values()) {
            vouched.put(r, Counter.builder("greyrelay.verify.vouched").tag("reason", r.tag)
                    .description("senders accepted without a probe while their domain was busy").register(metrics));
        }
    }

    /** The same memory for a dry run: it is read, never written ({@link #learn} and {@link #vouched} do nothing). */
    VouchBook readOnly(MeterRegistry metrics) {
        return new VouchBook(store, prefixes, maxAge, clock, metrics, true);
    }

    /** The network {@code client} is grouped into, in CIDR form. */
    String networkOf(InetAddress client) {
        return prefixes.networkOf(client).cidr();
    }

    /** Whether verified mail of {@code domain} came from the client's network within {@code greylist.maxAge}. */
    boolean isKnown(String domain, InetAddress client) {
        try {
            return store.isKnown(domain, networkOf(client), clock.instant().minus(maxAge));
        } catch (RuntimeException e) {
            log.warn("verify: known networks of {} unreadable, not vouching by network: {}", domain, e.getMessage());
            return false;
        }
    }

    /** A verified sender of {@code domain} came from {@code client}: remember its network. */
    void learn(String domain, InetAddress client) {
        if (readOnly) return;
        String network = networkOf(client);
        String key = domain.toLowerCase(Locale.ROOT) + " " + network;
        if (recentlyLearned.getIfPresent(key) != null) return;
        Instant now = clock.instant();
        try {
            store.learn(domain, network, now, now.minus(TOUCH_AFTER));
            recentlyLearned.put(key, Boolean.TRUE);
        } catch (RuntimeException e) {
            log.warn("verify: sending network {} of {} not stored: {}", network, domain, e.getMessage());
        }
    }

    /** A sender of {@code domain} was vouched for: the metric and the domain's tally. */
    void vouched(String domain, Vouching.Reason reason) {
        if (readOnly) return;
        vouched.get(reason).increment();
        try {
            store.vouched(domain, reason.tag, clock.instant());
        } catch (RuntimeException e) {
            log.warn("verify: vouch for {} not counted: {}", domain, e.getMessage());
        }
    }

    /** The domain's sending networks still remembered, most recent first (the panel). */
    List<LearnedNetwork> networks(String domain, int limit) {
        return store.networks(domain, clock.instant().minus(maxAge), limit);
    }

    /** How many senders of the domain were vouched for, by reason (the panel). */
    List<VouchTally> tallies(String domain) {
        return store.tallies(domain);
    }

    /** Upkeep: forget networks and tallies idle for {@code greylist.maxAge}. */
    int trim(int batch) {
        Instant cutoff = clock.instant().minus(maxAge);
        int n = 0;
        int k;
        do {
            k = store.deleteNetworksNotSeenSince(cutoff, batch);
            n += k;
        } while (k == batch);
        do {
            k = store.deleteTalliesIdleSince(cutoff, batch);
            n += k;
        } while (k == batch);
        return n;
    }
}
