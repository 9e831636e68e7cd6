package greyrelay.relay.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one DNS lookup for one record type. Callers {@code switch} over it; no case throws.
 *
 * @param <T> the value type of the records asked for (an address, a name, a joined TXT string)
 */
public sealed interface DnsAnswer<T> {

    /**
     * The name has records of the type asked for (after following CNAMEs).
     *
     * @param values the records' values in answer order, never empty
     * @param ttl    the smallest TTL of the records used, CNAMEs included
     */
    record Found<T>(List<T> values, Duration ttl) implements DnsAnswer<T> {
        public Found {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("Found needs at least one value; use NoData");
            }
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("negative ttl " + ttl);
            }
        }
    }

    /** The name does not exist (NXDOMAIN), or was not a syntactically valid domain name. */
    record NxDomain<T>() implements DnsAnswer<T> {}

    /** The name exists but has no records of this type (NOERROR with an empty answer). */
    record NoData<T>() implements DnsAnswer<T> {}

    /**
     * No usable answer this time: SERVFAIL, REFUSED, another error rcode, timeout, network error or a malformed
     * reply. Never cached.
     *
     * @param why short text for logs, starting with {@code timeout}, {@code SERVFAIL}, {@code REFUSED},
     *            {@code rcode}, {@code network error}, {@code malformed reply} or {@code no DNS servers};
     *            it may quote remote data, so treat it as data, not as something to parse
     */
    record TempFail<T>(String why) implements DnsAnswer<T> {
        public TempFail {
            Objects.requireNonNull(why, "why");
        }
    }
}
