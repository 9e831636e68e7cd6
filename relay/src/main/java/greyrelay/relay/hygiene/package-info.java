/**
 * Connection hygiene, after Postfix's postscreen and smtpd HELO restrictions: the pre-greeting test at connect
 * ({@code pregreet}: {@code 554 5.5.1 Protocol error} and close for a client that talks before the banner is
 * complete; off by default) and HELO checks at RCPT ({@code helo}: {@code 501 5.5.2} invalid,
 * {@code 504 5.5.2} not fully qualified, {@code 554 5.7.1} ours). See README.md, "Rate limits, connection hygiene and
 * DNS lists".
 *
 * <p>Talks to: the {@link greyrelay.relay.policy.GreetingProbe} the SMTP layer offers (the mechanics of the
 * multi-line banner live in {@code smtp}, the decision here). Trusts: nothing the client says; the HELO name is classified by syntax
 * only ({@link greyrelay.relay.hygiene.HeloPolicy}), never looked up in DNS. Clients exempt from
 * {@code HELO_CHECKS} (whitelists) skip both checks.
 *
 * <p>Limits: the pre-greeting delay costs every client the delay once per connection (postscreen caches a pass per
 * client; we do not yet). "Ours" knows this machine's interface addresses, loopback and
 * {@code hygiene.ourAddresses}, not names that merely resolve to us.
 *
 * <p>Config keys: {@code hygiene.mode}, {@code .greetingDelay}, {@code .rejectInvalidHelo}, {@code .rejectNonFqdnHelo},
 * {@code .rejectOurHelo}, {@code .ourAddresses}; {@code smtp.hostname}.
 */
package greyrelay.relay.hygiene;
