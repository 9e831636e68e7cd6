/**
 * DNS lookups for greyrelay: MX for callback verification and the sender-domain check, A/AAAA for implicit MX
 * and forward-confirmed reverse DNS, TXT for SPF, PTR for reverse DNS, and A/TXT for DNSBL/DNSWL queries. This is
 * the only package that imports dnsjava ({@code org.xbill.DNS}); everything else sees {@link greyrelay.relay.dns.Dns}
 * and its sealed answers ({@link greyrelay.relay.dns.DnsAnswer}, {@link greyrelay.relay.dns.MxAnswer}).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.dns.DnsJavaResolver}: asks the configured servers, one query per try.</li>
 *   <li>{@link greyrelay.relay.dns.CachingDns}: remembers answers for their TTL, clamped; time from a
 *       {@code Clock}.</li>
 * </ul>
 *
 * <h2>Why dnsjava, and why {@code SimpleResolver.send} rather than {@code Lookup}</h2>
 * The JDK's resolver (JNDI or {@code InetAddress}) has no MX/TXT/PTR answers with TTLs, cannot tell NXDOMAIN from
 * SERVFAIL from a timeout, and cannot be pointed at one server with a deadline. dnsjava can; it is maintained and
 * depends only on slf4j. Its classic {@code Lookup} reports SERVFAIL and a timeout alike as {@code TRY_AGAIN} and
 * keeps a JVM-wide static cache, so it is not used: {@code SimpleResolver.send} returns the reply itself, whose
 * rcode tells NXDOMAIN (name gone: a 4xx/5xx decision) from SERVFAIL/REFUSED/timeouts (try again later). Greylisting
 * and verification must never turn a temporary DNS problem into a permanent rejection, so this distinction is the
 * point of the package.
 *
 * <h2>Talks to</h2>
 * The DNS servers from {@code dns.servers} (host:port list) or, when that is empty, those of
 * {@code /etc/resolv.conf} as read by dnsjava's {@code ResolverConfig} (which honours the {@code dns.server}
 * system property). UDP, with a TCP retry when a reply is truncated. No search list: names are absolute.
 *
 * <h2>Trust</h2>
 * Everything in an answer is remote data. Only answer-section records of class IN for the query name, or for
 * names reached from it through CNAMEs, are used; dnsjava checks the reply's id and question. Names come back
 * lower case in presentation form (odd bytes as {@code \DDD}), TXT as decoded text; neither is trusted by this
 * package's callers, and {@code TempFail.why} may quote remote text.
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>No DNSSEC validation; the AD bit is not looked at.</li>
 *   <li>A CNAME chain the server left unfinished is reported as NoData, not chased with a new query; a loop or
 *       more than 8 hops is a TempFail.</li>
 *   <li>Invalid names (empty labels, a label over 63 octets, more than 253 characters, anything outside
 *       printable ASCII such as U-labels) are not sent and answer NxDomain; IDNA conversion is the caller's
 *       job.</li>
 *   <li>Negative answers are cached for a fixed time, not the SOA minimum; concurrent misses are not
 *       coalesced.</li>
 *   <li>Implicit MX (RFC 5321 §5.1), randomising equal MX preferences, forward confirmation of PTR names and
 *       the RFC 7208 lookup limits belong to the callers.</li>
 *   <li>dnsjava starts a daemon "dnsjava NIO selector" thread on first use.</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * {@code dns.servers} (empty: system resolver), and the timeout, attempts and cache TTL bounds that the wiring
 * passes to the constructors (see the README's configuration reference).
 */
package greyrelay.relay.dns;
