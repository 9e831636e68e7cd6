/**
 * Access checks that need nothing but the configuration and the request: {@code connection-limit} (connect),
 * {@code sender-syntax} and {@code declared-size} (MAIL), {@code relay-domain} and {@code role-recipient} (RCPT),
 * {@code header-size} (header fields too long to examine), {@code message-size} and {@code mail-loop} (end of DATA); and {@link greyrelay.relay.access.RelayDomains}, the domains
 * we accept mail for. {@code relay-domain} is what keeps the relay from ever being open: anything it cannot read for
 * certain (not a plain mailbox, routing characters in the local part) is refused. docs/checks.md has each check's row.
 *
 * <p>Talks to: nothing (no DNS, no database); the connection counts come from the listener as
 * {@code policy.OpenConnections}. Trusts: nothing the client sent; addresses arrive as {@code address} values, sizes and
 * hop counts as the SMTP layer measured them. Must not: import the SMTP layer, or let anything but a recipient grant an
 * acceptance (a sender's {@code postmaster@} local part never does).
 *
 * <p>Config keys: {@code smtp.relayDomains}, {@code smtp.maxMessageSize}, {@code smtp.maxConnections},
 * {@code smtp.maxConnectionsPerIp}, {@code smtp.maxHops}. See README.md, "Configuration reference".
 */
package greyrelay.relay.access;
