/**
 * Access checks that need nothing but the configuration: connection limits, sender syntax, declared and actual
 * size, header fields too long to examine, relay domains (never an open relay), role recipients, mail loops. Config keys: {@code smtp.relayDomains},
 * {@code smtp.maxMessageSize}, {@code smtp.maxConnections}, {@code smtp.maxConnectionsPerIp}, {@code smtp.maxHops}.
 * See README.md, "Configuration reference".
 */
package greyrelay.relay.access;
