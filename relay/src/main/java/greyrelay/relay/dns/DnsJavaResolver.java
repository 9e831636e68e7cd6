package greyrelay.relay.dns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * {@link Dns} over dnsjava's {@link SimpleResolver#send}: one query, one reply, classified by its rcode. UDP
 * first; dnsjava retries over TCP when the reply is truncated.
 *
 * <p>Each lookup tries the servers in order, {@code attempts} rounds at most, and stops at the first reply that
 * settles the question (NOERROR or NXDOMAIN). SERVFAIL, REFUSED, other rcodes, timeouts, network errors and
 * malformed replies move on to the next server; when all are used up the last failure is the {@code TempFail}.
 * The worst case is therefore {@code attempts × servers × timeout}.
 *
 * <p>Thread-safe: the resolvers are configured once in the constructor and only {@code send} is called after.
 */
public final class DnsJavaResolver implements Dns {

    private static final Logger log = LoggerFactory.getLogger(DnsJavaResolver.class);

    /** More hops than any sane zone needs; a longer chain is treated as broken. */
    private static final int MAX_CNAME_HOPS = 8;

    private final List<SimpleResolver> resolvers;
    private final Duration timeout;
    private final int attempts;

    /**
     * @param servers  DNS servers (host:port) to ask, in order; empty means the system resolver's servers from
     *                 {@code /etc/resolv.conf} (dnsjava's {@link ResolverConfig}, which honours {@code dns.server})
     * @param timeout  per query, UDP plus any TCP retry
     * @param attempts rounds over the server list, at least 1
     */
    public DnsJavaResolver(List<InetSocketAddress> servers, Duration timeout, int attempts) {
        Objects.requireNonNull(servers, "servers");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        List<InetSocketAddress> chosen = servers.isEmpty() ? ResolverConfig.getCurrentConfig().servers() : servers;
        List<SimpleResolver> built = new ArrayList<>();
        for (InetSocketAddress server : chosen) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            built.add(resolver);
        }
        this.resolvers = List.copyOf(built);
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /** The servers this resolver asks, in order (for the startup log). */
    public List<InetSocketAddress> servers() {
        return resolvers.stream().map(SimpleResolver::getAddress).toList();
    }

    @Override
    public MxAnswer mx(String domain) {
        return switch (lookup(DnsNames.parse(domain), Type.MX)) {
            case DnsAnswer.Found<Record> found -> mxFound(found);
            case DnsAnswer.NxDomain<Record> nx -> new MxAnswer.NxDomain();
            case DnsAnswer.NoData<Record> nodata -> new MxAnswer.NoData();
            case DnsAnswer.TempFail<Record> fail -> new MxAnswer.TempFail(fail.why());
        };
    }

    @Override
    public DnsAnswer<Inet4Address> a(String name) {
        return convert(lookup(DnsNames.parse(name), Type.A), DnsJavaResolver::inet4);
    }

    @Override
    public DnsAnswer<Inet6Address> aaaa(String name) {
        return convert(lookup(DnsNames.parse(name), Type.AAAA), DnsJavaResolver::inet6);
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        return convert(lookup(DnsNames.parse(name), Type.TXT), DnsJavaResolver::joinedText);
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        Objects.requireNonNull(address, "address");
        return convert(lookup(Optional.of(ReverseMap.fromAddress(address)), Type.PTR), DnsJavaResolver::ptrTarget);
    }

    private static MxAnswer mxFound(DnsAnswer.Found<Record> found) {
        List<MxHost> hosts = new ArrayList<>();
        for (Record r : found.values()) {
            MXRecord mx = (MXRecord) r;
            // A "." target is RFC 7505's null MX; mixed with real hosts (which RFC 7505 forbids) it is skipped.
            if (!mx.getTarget().equals(Name.root)) {
                hosts.add(new MxHost(mx.getPriority(), DnsNames.text(mx.getTarget())));
            }
        }
        if (hosts.isEmpty()) {
            return new MxAnswer.NullMx();
        }
        hosts.sort(Comparator.comparingInt(MxHost::preference)); // List.sort is stable: ties keep answer order
        return new MxAnswer.Found(hosts, found.ttl());
    }

    /** Maps Found values; values that map to nothing are dropped, and if none is left the answer is NoData. */
    private static <T> DnsAnswer<T> convert(DnsAnswer<Record> answer, Function<Record, Optional<T>> mapper) {
        return switch (answer) {
            case DnsAnswer.Found<Record> found -> {
                List<T> values = found.values().stream().map(mapper).flatMap(Optional::stream).toList();
                yield values.isEmpty() ? new DnsAnswer.NoData<>() : new DnsAnswer.Found<>(values, found.ttl());
            }
            case DnsAnswer.NxDomain<Record> nx -> new DnsAnswer.NxDomain<>();
            case DnsAnswer.NoData<Record> nodata -> new DnsAnswer.NoData<>();
            case DnsAnswer.TempFail<Record> fail -> new DnsAnswer.TempFail<>(fail.why());
        };
    }

    private static Optional<Inet4Address> inet4(Record r) {
        return ((ARecord) r).getAddress() instanceof Inet4Address v4 ? Optional.of(v4) : Optional.empty();
    }

    private static Optional<Inet6Address> inet6(Record r) {
        // Built from the 16 rdata bytes: InetAddress.getByAddress would turn ::ffff:a.b.c.d into an Inet4Address.
        byte[] bytes = r.rdataToWireCanonical();
        if (bytes.length != 16) {
            return Optional.empty();
        }
        try {
            return Optional.of(Inet6Address.getByAddress(null, bytes, null));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> ptrTarget(Record r) {
        Name target = ((PTRRecord) r).getTarget();
        return target.equals(Name.root) ? Optional.empty() : Optional.of(DnsNames.text(target));
    }

    /** RFC 7208 §3.3: character-strings joined with nothing between; the joined bytes decoded once. */
    private static Optional<String> joinedText(Record r) {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Object part : ((TXTRecord) r).getStringsAsByteArrays()) {
            joined.writeBytes((byte[]) part);
        }
        byte[] bytes = joined.toByteArray();
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.of(new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    /** The records of {@code type} at the end of the CNAME chain, or why there are none. */
    private DnsAnswer<Record> lookup(Optional<Name> name, int type) {
        if (name.isEmpty()) {
            return new DnsAnswer.NxDomain<>();
        }
        if (resolvers.isEmpty()) {
            return new DnsAnswer.TempFail<>("no DNS servers configured");
        }
        DnsAnswer.TempFail<Record> last = null;
        for (int round = 0; round < attempts; round++) {
            for (SimpleResolver resolver : resolvers) {
                DnsAnswer<Record> answer = ask(resolver, name.get(), type);
                if (!(answer instanceof DnsAnswer.TempFail<Record> fail)) {
                    return answer;
                }
                last = fail;
                log.debug("DNS {} {}: {}", name.get(), Type.string(type), fail.why());
                if (Thread.currentThread().isInterrupted()) {
                    return new DnsAnswer.TempFail<>("interrupted");
                }
            }
        }
        return last;
    }

    private DnsAnswer<Record> ask(SimpleResolver resolver, Name name, int type) {
        Message reply;
        try {
            // A fresh query (and id) per try; dnsjava checks the reply's id and question against it.
            reply = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (IOException e) {
            return new DnsAnswer.TempFail<>(describe(e, resolver.getAddress()));
        } catch (RuntimeException e) {
            // dnsjava parsing hostile bytes should not throw unchecked, but a reply is never worth a crash.
            return new DnsAnswer.TempFail<>("malformed reply from " + server(resolver.getAddress()) + ": " + e);
        }
        return classify(reply, name, type, resolver.getAddress());
    }

    private static DnsAnswer<Record> classify(Message reply, Name name, int type, InetSocketAddress from) {
        int rcode = reply.getRcode();
        return switch (rcode) {
            case Rcode.NOERROR -> followChain(reply.getSection(Section.ANSWER), name, type, from);
            case Rcode.NXDOMAIN -> new DnsAnswer.NxDomain<>();
            case Rcode.SERVFAIL -> new DnsAnswer.TempFail<>("SERVFAIL from " + server(from));
            case Rcode.REFUSED -> new DnsAnswer.TempFail<>("REFUSED from " + server(from));
            default -> new DnsAnswer.TempFail<>("rcode " + Rcode.string(rcode) + " from " + server(from));
        };
    }

    /**
     * Walks from the query name through CNAMEs in the answer section to the records asked for. Records for other
     * names or types are ignored (the answer section is remote data). A chain that ends without records of the
     * type is NoData: this resolver does not re-query a CNAME target a server left unresolved.
     */
    private static DnsAnswer<Record> followChain(List<Record> answer, Name name, int type, InetSocketAddress from) {
        Name current = name;
        long ttl = Long.MAX_VALUE;
        Set<Name> seen = new HashSet<>();
        seen.add(current);
        for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
            List<Record> matches = new ArrayList<>();
            CNAMERecord alias = null;
            for (Record r : answer) {
                if (r.getDClass() != DClass.IN || !r.getName().equals(current)) {
                    continue;
                }
                if (r.getType() == type) {
                    matches.add(r);
                } else if (r.getType() == Type.CNAME && alias == null) {
                    alias = (CNAMERecord) r;
                }
            }
            if (!matches.isEmpty()) {
                for (Record r : matches) {
                    ttl = Math.min(ttl, r.getTTL());
                }
                return new DnsAnswer.Found<>(matches, Duration.ofSeconds(ttl));
            }
            if (alias == null) {
                return new DnsAnswer.NoData<>();
            }
            ttl = Math.min(ttl, alias.getTTL());
            current = alias.getTarget();
            if (!seen.add(current)) {
                return new DnsAnswer.TempFail<>("malformed reply from " + server(from) + ": CNAME loop at " + current);
            }
        }
        return new DnsAnswer.TempFail<>("malformed reply from " + server(from) + ": CNAME chain longer than "
                + MAX_CNAME_HOPS);
    }

    private String describe(IOException e, InetSocketAddress from) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return "timeout after " + timeout.toMillis() + " ms from " + server(from);
            }
            if (t instanceof WireParseException) {
                return "malformed reply from " + server(from) + ": " + t.getMessage();
            }
            if (t instanceof PortUnreachableException) {
                return "network error: " + server(from) + " port unreachable";
            }
        }
        return "network error from " + server(from) + ": " + e;
    }

    private static String server(InetSocketAddress address) {
        return address.getAddress() == null
                ? address.getHostString() + ":" + address.getPort()
                : address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
