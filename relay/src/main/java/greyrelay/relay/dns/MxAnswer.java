package greyrelay.relay.dns;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** The outcome of an MX lookup. Implicit MX (RFC 5321 §5.1: no MX, use A/AAAA) is the caller's job. */
public sealed interface MxAnswer {

    /**
     * The domain's mail exchangers, sorted by preference (lowest first). Hosts of equal preference stay in answer
     * order: randomising them is the caller's choice, so that this answer stays deterministic and cacheable.
     *
     * @param hosts never empty
     * @param ttl   the smallest TTL of the records used, CNAMEs included
     */
    record Found(List<MxHost> hosts, Duration ttl) implements MxAnswer {
        public Found {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("Found needs at least one host; use NoData");
            }
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("negative ttl " + ttl);
            }
        }
    }

    /** RFC 7505 null MX: the domain says it accepts no mail (its MX targets are all the root {@code "."}). */
    record NullMx() implements MxAnswer {}

    /** The domain does not exist, or was not a syntactically valid domain name. */
    record NxDomain() implements MxAnswer {}

    /** The domain exists but has no MX records. */
    record NoData() implements MxAnswer {}

    /** No usable answer this time; see {@link DnsAnswer.TempFail} for the meaning of {@code why}. */
    record TempFail(String why) implements MxAnswer {
        public TempFail {
            Objects.requireNonNull(why, "why");
        }
    }
}
