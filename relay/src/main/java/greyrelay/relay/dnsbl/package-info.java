/**
 * DNS block and allow lists (DNSBL/DNSWL, RFC 5782): each configured list is asked about the client address, all in
 * parallel within {@code dnsbl.timeout}, once per session, through the relay's cached {@code Dns}. A {@code reject}
 * hit refuses the connection before the banner ({@code dnsbl}: {@code 554 5.7.1 Service unavailable; client [ip]
 * blocked using <list>}); a {@code defer} hit answers {@code 451 4.7.1 …} at RCPT ({@code dns-lists}); a
 * {@code skip-greylisting} hit (an allow list) exempts the session from greylisting and the block lists. See
 * README.md, "Rate limits, connection hygiene and DNS lists".
 *
 * <p>Talks to: DNS, via {@link greyrelay.relay.dns.Dns} only. Trusts: answers are remote data; only A records that
 * pass the entry's code filter count (by default 127.0.0.0/8 without the "query refused" codes). A timeout or DNS
 * error is "not listed" (never block mail for a DNS problem), logged and counted
 * ({@code greyrelay_dnsbl_lookups_total{list,result}}).
 *
 * <p>Limits: no scoring or weights (postscreen's {@code *weight}); the first list with a given action decides. A
 * list that did not answer in time is not asked again in the same session (its late answer is cached for the next).
 * No TXT reason is fetched.
 *
 * <p>Config keys: {@code dnsbl.mode}, {@code dnsbl.lists}, {@code dnsbl.timeout}; {@code dns.*} for the resolver.
 */
package greyrelay.relay.dnsbl;
