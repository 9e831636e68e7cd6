/**
 * Callback verification (sender address verification) and recipient verification, politely, cached, within budgets.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.verify.MxSelection}: MX by preference (equal preferences shuffled by an injected
 *       {@code Random}), implicit MX from A/AAAA, RFC 7505 null MX, NXDOMAIN versus temporary DNS failure; IPv6
 *       addresses only when this host has IPv6 ({@code verification.ipv6}); addresses in
 *       {@code verification.refusedTargets} ({@link greyrelay.relay.verify.RefusedTargets}: loopback, private,
 *       link-local, multicast, reserved, this host's own, and IPv6 forms that reach them) are never probed, named
 *       "refused target" in the transcript; a domain whose every MX address is refused is a temporary failure.</li>
 *   <li>{@link greyrelay.relay.verify.Prober}: {@code EHLO <smtp.hostname>} (falling back to {@code HELO}),
 *       {@code MAIL FROM:<>}, {@code RCPT TO:<sender>}, {@code RSET}, {@code QUIT}; never {@code DATA}; one address per
 *       transaction; next MX on connection failure or 4xx, at most {@code verification.maxMxAttempts} connections; a
 *       refused null sender is retried once as {@code postmaster@<smtp.hostname>}. Outcomes are the sealed
 *       {@link greyrelay.relay.verify.ProbeResult}.</li>
 *   <li>{@link greyrelay.relay.verify.ProbeScheduler}: global and per-sender-domain concurrency caps, token-bucket
 *       rates, bounded per-domain queues, round-robin between domains, the last {@code reservedInline} slots kept
 *       for inline probes; per MX host name and per target address {@link greyrelay.relay.verify.HostBudget}, per
 *       domain a {@link greyrelay.relay.verify.BurstFreeze} for
 *       forged-sender runs. A refused probe is answered {@code 451 4.4.5} at once; other domains never wait behind
 *       it.</li>
 *   <li>Budgets are {@link greyrelay.relay.verify.Permit}s that give their share back when closed, once:
 *       {@link greyrelay.relay.verify.Slots} (probes running or waiting, connections to one MX host, recipient probes)
 *       and {@link greyrelay.relay.verify.Quota} (probes one incoming connection may start, spent when a probe
 *       really starts).</li>
 *   <li>{@link greyrelay.relay.verify.SingleFlight}: one probe per address at a time, joiners share its result
 *       ({@link greyrelay.relay.verify.LocalSingleFlight} within this process); sender and recipient verification
 *       both use it, and both record through {@link greyrelay.relay.verify.ProbeHistory} (history rows, metrics, one
 *       log line per probe).</li>
 *   <li>{@link greyrelay.relay.verify.Cluster}: with PostgreSQL, what the nodes share. Sender probes take a lease
 *       row per address ({@link greyrelay.relay.verify.LeasedSingleFlight}; a node that finds another's live lease
 *       polls the shared cache for its verdict); the per-domain and per-address concurrency caps are lease rows, one
 *       per slot, taken at each connection ({@link greyrelay.relay.verify.SharedSlots} behind
 *       {@link greyrelay.relay.verify.SharedBudget}); the per-domain probe rate is one Bucket4j bucket per domain in
 *       {@code rate_limit_bucket}, through the rate limits' own shared store
 *       ({@link greyrelay.relay.ratelimit.RateLimiter#sharedExact}); the burst freeze is a row per domain
 *       ({@link greyrelay.relay.verify.SharedFreezes} behind {@link greyrelay.relay.verify.FreezeStore}, adopted by each
 *       lane's {@link greyrelay.relay.verify.BurstFreeze}). Leases expire ({@code probeTotal} + 30 s), so a dead node
 *       holds nothing for longer. With H2, {@code Cluster.single()}: nothing shared, nothing slower.</li>
 *   <li>Pure rules: {@link greyrelay.relay.verify.CachePolicy} (lifetimes, refresh, 451-then-550 confirmation, "a good
 *       verdict is never overwritten by a temporary failure"; the recipients' lifetimes too) and
 *       {@link greyrelay.relay.verify.AnswerPolicy} (what a cached verdict, a finished probe or a domain profile during
 *       a burst freeze answers).</li>
 *   <li>{@link greyrelay.relay.verify.SenderVerifier} puts the sender parts together: the cache (shared by nodes, in
 *       the database), single flight, scheduler, per-connection quota, domain profiles
 *       ({@link greyrelay.relay.verify.ProfileBook}); inline with a wait bound, or {@code prefetch} in the
 *       background. {@link greyrelay.relay.verify.RecipientVerifier} asks our downstream the same way.</li>
 *   <li>Vouching ({@link greyrelay.relay.verify.Vouching}, pure; {@link greyrelay.relay.verify.VouchBook}, the learned
 *       networks and tallies in {@code greyrelay.db.verify.VouchStore}): while a sender domain is frozen or its budget
 *       is used up, an SPF-pass sender of it, or one from a network that delivered its verified mail before, is
 *       accepted without a probe ({@code verification.vouch}, {@code vouchWhen}).</li>
 *   <li>Checks: {@link greyrelay.relay.verify.RecipientVerificationCheck} ({@code recipient-verification}),
 *       {@link greyrelay.relay.verify.SenderDomainCheck} ({@code sender-domain}), {@link greyrelay.relay.verify.SenderVerificationCheck}
 *       ({@code sender-verification}, and the greylisting hook {@code prefetch}). {@link greyrelay.relay.verify.Verification}
 *       builds them from the configuration; the check table places them.</li>
 *   <li>{@link greyrelay.relay.verify.Verification#reprobe} and {@link greyrelay.relay.verify.Verification#forget}: an
 *       administrator's "verify again now" (a fresh probe in the background through the same scheduler and budgets,
 *       even when a verdict is cached; origin {@code ADMIN} in the history) and "forget cached result". The admin panel
 *       reaches them through {@code greyrelay.relay.admin}; this package knows no admin-ui type.</li>
 * </ul>
 *
 * <h2>Talks to</h2>
 * DNS through {@link greyrelay.relay.dns.Dns}; strangers' MX hosts and our downstream through
 * {@link greyrelay.relay.smtpclient.SmtpClient}; the database through {@code greyrelay.db.verify} (cache, probe log,
 * domain profiles; with PostgreSQL also the leases and freezes of {@code verification_lease} and
 * {@code verification_freeze}). Where a probe connects is a seam ({@link greyrelay.relay.verify.ProbeRouting}): production uses
 * the DNS address and {@code verification.probePort}; tests map documentation addresses to scripted MX servers.
 *
 * <h2>What it trusts</h2>
 * Nothing a remote server says: replies are read with bounded lines and a deadline per reply, kept only as printable
 * text, stored as data and escaped by whoever shows them. Only a plain ASCII {@code local@domain}
 * ({@link greyrelay.relay.address.Mailbox#isPlain()} and {@link greyrelay.relay.verify.Prober#wireSafe}) is ever put on
 * the wire; a quoted local part equal to a dot-atom is sent plainly, anything else is "unprobeable", never sent,
 * and answered per {@code verification.unprobeable}. Sender probes never go to {@code verification.refusedTargets}. A 5xx at RCPT from the sender's own MX is the only thing that
 * makes an address bad, and even that is answered 451 until confirmed ({@code verification.confirm}).
 *
 * <h2>Why Bucket4j</h2>
 * Token buckets with a pluggable time source ({@code withCustomTimePrecision}), so rates follow the injected
 * {@code Clock} in tests; maintained, Apache-2.0, no dependencies. Version from the parent pom.
 *
 * <h2>Known limits</h2>
 * <ul>
 *   <li>Across nodes (PostgreSQL) single flight, the per-domain and per-address caps, the per-domain probe rate and
 *       the burst freeze are shared; the global cap and queue, per-domain queues, the per-MX-host budget and the
 *       local-part count that trips a freeze stay per node. The shared caps are checked at each connection, not at
 *       admission: a node's probe that finds the cluster's slots taken is throttled ({@code 451 4.4.5}) rather than
 *       queued. The shared rate token is taken at admission, before the scheduler's lock (one database round trip
 *       per new probe, none while the domain is frozen), and given back when the probe is refused for another
 *       reason; when the database cannot count it the probe is throttled.</li>
 *   <li>The burst freeze's trigger counts per node: each node trips after {@code burstLocalParts} distinct local parts
 *       it saw itself, so N nodes sharing a forged run freeze the domain after up to N times as many. Not shared
 *       because "distinct within a sliding window" needs a row per local part (a write per sighting, on the flood's
 *       path); a counter row per domain and window would count a local part once per node that saw it. The cost is
 *       bounded: until the freeze the shared per-domain rate and caps hold the whole cluster to one node's probes,
 *       and once any node freezes the domain every node sees it within a second ({@code Cluster.FREEZE_RECHECK}).</li>
 *   <li>Recipient verification (towards our own downstream) keeps a per-process single flight.</li>
 *   <li>Without the database a probe lease is skipped (at worst two nodes probe one address) and shared slots are
 *       refused (probes throttled).</li>
 *   <li>A sender probe has one overall deadline ({@code verification.timeouts.probeTotal}, on
 *       {@link System#nanoTime()}: socket waits cannot follow an injected clock) besides one per reply.</li>
 *   <li>No SMTPUTF8: an internationalised address is unverifiable, not probed.</li>
 *   <li>The random-address check ({@code verification.randomAddressCheck}) uses a second transaction on the same
 *       connection; it is off by default because it looks like a dictionary attack.</li>
 *   <li>Recipient verification has no fairness budget (the downstream is our own), only
 *       {@code recipientVerification.maxConcurrent}.</li>
 * </ul>
 *
 * <h2>Configuration</h2>
 * {@code verification.*} (enabled, mode, probePort, maxWait, confirmAfter, mailFrom, confirm, checkSenderDomain,
 * unverifiable, unprobeable, refusedTargets, randomAddressCheck, ipv6, maxMxAttempts, historyRetention, logCacheHits, vouch, vouchWhen, {@code cache.*},
 * {@code budget.*}, {@code timeouts.*}) and {@code recipientVerification.*}, plus {@code smtp.hostname} and
 * {@code downstream.*}. See README.md, "Configuration reference" and "Callback verification".
 */
package greyrelay.relay.verify;
