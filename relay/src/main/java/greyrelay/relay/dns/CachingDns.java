package greyrelay.relay.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link Dns} decorator that remembers answers, so a burst of mail from one domain costs one round trip.
 *
 * <ul>
 *   <li>Found (and MX Found) answers live for their TTL clamped to [{@code minTtl}, {@code maxTtl}]; when served
 *       from the cache their TTL is the time left.</li>
 *   <li>NxDomain, NoData and NullMx live for {@code negativeTtl} (the SOA minimum is not looked at).</li>
 *   <li>TempFail is never cached: the next caller asks again.</li>
 *   <li>At most {@code maxEntries} answers; the least recently used goes first.</li>
 * </ul>
 *
 * <p>Time comes from the injected clock. Lookups are not coalesced: callers that miss at the same moment each ask
 * the delegate. A small LRU map under a lock keeps this free of a cache library; the lock is never held while the
 * delegate runs.
 */
public final class CachingDns implements Dns {

    private enum Kind { MX, A, AAAA, TXT, PTR }

    private record Key(Kind kind, String name) {}

    private record Cached(Object answer, Instant expires) {}

    private final Dns delegate;
    private final Clock clock;
    private final Duration minTtl;
    private final Duration maxTtl;
    private final Duration negativeTtl;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Cached> entries;

    public CachingDns(Dns delegate, Clock clock, Duration minTtl, Duration maxTtl, Duration negativeTtl,
            int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minTtl = Objects.requireNonNull(minTtl, "minTtl");
        this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
        this.negativeTtl = Objects.requireNonNull(negativeTtl, "negativeTtl");
        if (minTtl.isNegative() || maxTtl.compareTo(minTtl) < 0 || negativeTtl.isNegative()) {
            throw new IllegalArgumentException("need 0 <= minTtl <= maxTtl and negativeTtl >= 0, got " + minTtl
                    + ", " + maxTtl + ", " + negativeTtl);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public MxAnswer mx(String domain) {
        return (MxAnswer) cached(new Key(Kind.MX, DnsNames.key(domain)), () -> delegate.mx(domain));
    }

    @Override
    @SuppressWarnings("unchecked") // the key's kind fixes the answer's type
    public DnsAnswer<Inet4Address> a(String name) {
        return (DnsAnswer<Inet4Address>) cached(new Key(Kind.A, DnsNames.key(name)), () -> delegate.a(name));
    }

    @Override
    @SuppressWarnings("unchecked")
    public DnsAnswer<Inet6Address> aaaa(String name) {
        return (DnsAnswer<Inet6Address>) cached(new Key(Kind.AAAA, DnsNames.key(name)), () -> delegate.aaaa(name));
    }

    @Override
    @SuppressWarnings("unchecked")
    public DnsAnswer<String> txt(String name) {
        return (DnsAnswer<String>) cached(new Key(Kind.TXT, DnsNames.key(name)), () -> delegate.txt(name));
    }

    @Override
    @SuppressWarnings("unchecked")
    public DnsAnswer<String> ptr(InetAddress address) {
        // getHostAddress is the numeric form: no reverse lookup happens here.
        return (DnsAnswer<String>) cached(new Key(Kind.PTR, address.getHostAddress()), () -> delegate.ptr(address));
    }

    /** How many answers are held now, expired ones included until they are next looked up or pushed out. */
    public int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private Object cached(Key key, Supplier<Object> load) {
        Instant now = clock.instant();
        lock.lock();
        try {
            Cached hit = entries.get(key);
            if (hit != null) {
                if (now.isBefore(hit.expires())) {
                    return withTimeLeft(hit.answer(), Duration.between(now, hit.expires()));
                }
                entries.remove(key);
            }
        } finally {
            lock.unlock();
        }
        Object answer = load.get();
        Duration keep = lifetime(answer);
        if (keep.isPositive()) {
            lock.lock();
            try {
                entries.put(key, new Cached(answer, now.plus(keep)));
            } finally {
                lock.unlock();
            }
        }
        return answer;
    }

    /** How long to keep an answer; zero means not at all. */
    private Duration lifetime(Object answer) {
        return switch (answer) {
            case MxAnswer.Found found -> clamp(found.ttl());
            case DnsAnswer.Found<?> found -> clamp(found.ttl());
            case MxAnswer.TempFail fail -> Duration.ZERO;
            case DnsAnswer.TempFail<?> fail -> Duration.ZERO;
            case MxAnswer.NullMx nullMx -> negativeTtl;
            case MxAnswer.NxDomain nx -> negativeTtl;
            case MxAnswer.NoData nodata -> negativeTtl;
            case DnsAnswer.NxDomain<?> nx -> negativeTtl;
            case DnsAnswer.NoData<?> nodata -> negativeTtl;
            default -> throw new IllegalStateException("not a DNS answer: " + answer);
        };
    }

    private static Object withTimeLeft(Object answer, Duration left) {
        return switch (answer) {
            case MxAnswer.Found found -> new MxAnswer.Found(found.hosts(), left);
            case DnsAnswer.Found<?> found -> new DnsAnswer.Found<>(found.values(), left);
            default -> answer;
        };
    }

    private Duration clamp(Duration ttl) {
        return ttl.compareTo(minTtl) < 0 ? minTtl : ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
    }
}
