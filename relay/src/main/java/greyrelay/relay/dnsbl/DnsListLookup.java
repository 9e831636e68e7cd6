package greyrelay.relay.dnsbl;

import greyrelay.relay.config.DnsblConfig.CodeRange;
import greyrelay.relay.config.DnsblConfig.DnsList;
import greyrelay.relay.dns.Dns;
import greyrelay.relay.dns.DnsAnswer;
import greyrelay.relay.policy.SessionFacts;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every list about one client, in parallel (one virtual thread per list) and within one overall deadline
 * ({@code dnsbl.timeout}). Queries go through the relay's {@link Dns} (cached for the answer's TTL by
 * {@code CachingDns}); a list still working at the deadline finishes in the background, so its answer is cached for
 * the client's next connection. A timeout or DNS error means "not listed", logged and counted, never a refusal.
 *
 * <p>Query names: IPv4 octets reversed ({@code 10.2.0.192.zen.example}), IPv6 nibbles reversed (RFC 5782 §2.4).
 * Answers are remote data: only A records are read, and only those passing the entry's code filter count. Without
 * a filter, any {@code 127.0.0.0/8} answer counts except {@code 127.255.255.0/24} and {@code 127.0.0.255}, which
 * lists use to say "query refused" (Spamhaus answers public-resolver queries with 127.255.255.254; DNSWL answers
 * over-quota queries with 127.0.0.255): counting those would block every client at once.
 */
public final class DnsListLookup {
    private static final Logger log = LoggerFactory.getLogger(DnsListLookup.class);
    private static final long LOOPBACK_NET = 127L << 24;

    private final Dns dns;
    private final Duration deadline;
    private final MeterRegistry metrics;

    public DnsListLookup(Dns dns, Duration deadline, MeterRegistry metrics) {
        this.dns = dns;
        this.deadline = deadline;
        this.metrics = metrics;
    }

    /** Answers for every list, in the given order; waits at most the deadline. */
    public DnsListResults lookup(SessionFacts session, List<DnsList> lists) {
        InetAddress client = session.clientAddress();
        List<CompletableFuture<ListAnswer>> pending = new ArrayList<>(lists.size());
        for (DnsList list : lists) {
            CompletableFuture<ListAnswer> f = new CompletableFuture<>();
            Thread.ofVirtual().name("dnsbl-" + list.zone()).start(() -> {
                try {
                    f.complete(ask(client, list));
                } catch (RuntimeException e) {
                    f.complete(new ListAnswer.Failed(e.toString()));
                }
            });
            pending.add(f);
        }
        long end = System.nanoTime() + deadline.toNanos();
        Map<DnsList, ListAnswer> out = new LinkedHashMap<>();
        for (int i = 0; i < lists.size(); i++) {
            DnsList list = lists.get(i);
            ListAnswer answer;
            try {
                answer = pending.get(i).get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                answer = new ListAnswer.Failed("no answer within " + deadline.toMillis() + "ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer = new ListAnswer.Failed("interrupted");
            } catch (ExecutionException e) {
                answer = new ListAnswer.Failed(String.valueOf(e.getCause()));
            }
            record(session, list, answer);
            out.put(list, answer);
        }
        return new DnsListResults(out);
    }

    private void record(SessionFacts session, DnsList list, ListAnswer answer) {
        String result = switch (answer) {
            case ListAnswer.Listed l -> {
                log.info("{}: {} listed on {} ({}): {}", session.sessionId(), session.clientLabel(), list.zone(),
                        String.join(",", l.codes()), list.action().text());
                yield "listed";
            }
            case ListAnswer.NotListed n -> "not-listed";
            case ListAnswer.Failed f -> {
                log.warn("{}: {} lookup of {} failed ({}); treated as not listed", session.sessionId(), list.zone(),
                        session.clientLabel(), f.why());
                yield "failed";
            }
        };
        metrics.counter("greyrelay.dnsbl.lookups", "list", list.zone(), "result", result).increment();
    }

    private ListAnswer ask(InetAddress client, DnsList list) {
        String name = queryName(client, list.zone());
        return switch (dns.a(name)) {
            case DnsAnswer.Found<Inet4Address> found -> {
                List<String> hits = new ArrayList<>();
                for (Inet4Address a : found.values()) {
                    if (counts(list, a)) {
                        hits.add(a.getHostAddress());
                    } else {
                        log.warn("{} answered {} for {}: not a listing code; ignored (query refused or list broken?)",
                                list.zone(), a.getHostAddress(), name);
                    }
                }
                yield hits.isEmpty() ? new ListAnswer.NotListed() : new ListAnswer.Listed(hits);
            }
            case DnsAnswer.NxDomain<Inet4Address> nx -> new ListAnswer.NotListed();
            case DnsAnswer.NoData<Inet4Address> none -> new ListAnswer.NotListed();
            case DnsAnswer.TempFail<Inet4Address> fail -> new ListAnswer.Failed(fail.why());
        };
    }

    static boolean counts(DnsList list, Inet4Address answer) {
        byte[] b = answer.getAddress();
        long v = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        if (!list.codes().isEmpty()) {
            for (CodeRange r : list.codes()) if (r.contains(v)) return true;
            return false;
        }
        boolean loopbackNet = (v >>> 24) == (LOOPBACK_NET >>> 24);
        boolean errorCode = (v >>> 8) == 0x7fffffL || v == 0x7f0000ffL; // 127.255.255.0/24, 127.0.0.255
        return loopbackNet && !errorCode;
    }

    /** {@code 10.2.0.192.<zone>} or the 32 reversed nibbles of an IPv6 address followed by the zone. */
    static String queryName(InetAddress client, String zone) {
        byte[] b = client.getAddress();
        StringBuilder sb = new StringBuilder(80);
        if (b.length == 4) {
            for (int i = 3; i >= 0; i--) sb.append(b[i] & 0xff).append('.');
        } else {
            for (int i = b.length - 1; i >= 0; i--) {
                sb.append(Character.forDigit(b[i] & 0xf, 16)).append('.');
                sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append('.');
            }
        }
        return sb.append(zone).toString();
    }
}
