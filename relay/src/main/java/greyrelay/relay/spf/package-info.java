/**
 * SPF (RFC 7208), the {@code spf} check at RCPT: is the client allowed to send for the MAIL FROM domain (for the null sender, for
 * the HELO name)?
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.spf.SpfEvaluator}: check_host() on our {@link greyrelay.relay.dns.Dns}, returning an
 *       {@link greyrelay.relay.spf.SpfEvaluation} (a {@link greyrelay.relay.spf.SpfResult}, the checked domain, the
 *       matched mechanism, a reason and, for {@code fail}, the explanation). Package-private helpers: the record
 *       parser ({@code SpfRecord}), the macro language ({@code MacroString}), one evaluation's state and limits
 *       ({@code CheckHost}), names ({@code DomainNames}). IP literals and networks are the db module's
 *       {@code greyrelay.db.net.IpNetwork}, parsed by hand (never {@code InetAddress.getByName}, which would ask DNS
 *       for what is not a literal).</li>
 *   <li>{@link greyrelay.relay.spf.SpfCheck}: the pipeline check. Evaluates once per transaction (the result is
 *       reused for every further recipient), answers per {@code spf.*Action}, logs one line per evaluation and
 *       counts {@code greyrelay_spf_results_total{result}}; non-continue verdicts reach the decision log through the
 *       pipeline. Skipped for recipients exempt from SPF ({@code Exemption.SPF}). It sets the transaction's
 *       {@link greyrelay.relay.policy.SpfFact} once; <b>the greylist check</b> ({@code greylist.spfDomainKey}) reads
 *       {@code r.tx().facts().spf().flatMap(SpfFact::authorisedDomain)}: the SPF-authorised domain when SPF passed,
 *       empty otherwise (then it keys on the client network). Nothing here imports another check's package.</li>
 * </ul>
 *
 * <h2>Headers on delivered mail</h2>
 * The first evaluation of a transaction adds {@code Received-SPF:} (§9.1) with {@code Transaction.addHeaderOnce}
 * and an {@code spf=<result> smtp.mailfrom=<address>} (or {@code smtp.helo=}) entry with
 * {@code Transaction.addAuthResult}. <b>Other methods</b> (sender verification) add their own
 * {@link greyrelay.relay.policy.AuthResult} the same way, one per method name (e.g. {@code x-callback}); the SMTP
 * layer ({@code smtp.AuthenticationResults}) renders all of them into one {@code Authentication-Results:} header with
 * {@code smtp.hostname} as the authserv-id at the end of DATA, above the checks' trace headers and our
 * {@code Received:}. An incoming {@code Authentication-Results} naming our host name is dropped on the way in.
 *
 * <h2>Why our own evaluator, not Apache jSPF</h2>
 * jSPF 1.0.5 passes 189 of the 203 cases of the RFC 7208 suite, 196 with a TXT-only wrapper;
 * what it misses cannot be wrapped at its boundary: a DNS timeout inside {@code exists:} becomes {@code fail} (a
 * 5xx for a DNS hiccup), the void-lookup and MX-count limits are absent, it has no overall deadline, it asks for the
 * obsolete SPF type first, and it resolves through dnsjava's JVM-wide {@code Lookup} cache rather than our
 * configured servers, timeouts and {@code CachingDns}. check_host() is a small, fully specified algorithm with an
 * official test suite, so we implement it on our {@code Dns} (about 1,300 lines with parser, macros and comments) and run
 * that suite as a unit test: 203 of 203 cases pass ({@code Rfc7208SuiteTest}). No new library.
 *
 * <h2>Decisions where the RFC leaves room</h2>
 * <ul>
 *   <li>A target name that cannot exist (empty label, label over 63 octets; possibly made by a macro) is never
 *       queried and does not match (the suite accepts this or permerror). Names with odd octets (spaces from
 *       {@code %_}) are queried; they reach dnsjava as {@code \DDD} escapes.</li>
 *   <li>Where §5.5/§7.3 say to skip a name whose lookup failed ({@code ptr}, {@code %{p}}), an evaluation that then
 *       ends in {@code fail} reports {@code temperror} instead: a DNS failure never produces {@code fail}.</li>
 *   <li>An {@code mx} with more than 10 hosts is a permerror only when the first 10 did not match.</li>
 *   <li>Void lookups counted: the a, mx, ptr and exists terms' own queries finding NXDOMAIN or no records.</li>
 *   <li>Only the MAIL FROM identity is checked (the HELO identity only for the null sender), as §2.4 requires;
 *       the separate optional HELO check of §2.3 is not done.</li>
 * </ul>
 *
 * <h2>Talks to, trusts</h2>
 * Only the relay's {@code Dns} (so {@code dns.servers}, {@code dns.timeout}, {@code dns.attempts} and the cache
 * apply). Records, explanations and PTR names are remote data: parsed strictly, never executed, and sanitised
 * (printable ASCII, bounded) before they reach logs, headers or the decision log.
 *
 * <h2>Limits</h2>
 * The deadline is checked before each DNS query, so one evaluation can overrun it by one query's own worst case
 * ({@code dns.attempts × servers × dns.timeout}). No DNSSEC. A name whose escaped text exceeds 253 characters is
 * refused by the DNS layer even when its octets fit (only names full of odd octets).
 *
 * <h2>Configuration</h2>
 * {@code spf.enabled}, {@code spf.mode}, {@code spf.failAction}, {@code spf.softfailAction},
 * {@code spf.neutralAction}, {@code spf.noneAction}, {@code spf.permerrorAction}, {@code spf.temperrorAction},
 * {@code spf.deadline}, {@code spf.voidLookupLimit}; {@code smtp.hostname} as receiver and authserv-id. See
 * README.md, "Configuration reference".
 */
package greyrelay.relay.spf;
