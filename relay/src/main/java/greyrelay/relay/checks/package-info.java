/**
 * The check table: which checks run in each phase (connect, MAIL, RCPT, end of DATA), in which order, when and in
 * which mode ({@link greyrelay.relay.checks.CheckTable}). The order is written down here and nowhere else; the feature
 * packages ({@code access}, {@code whitelist}, {@code greylist}, {@code ratelimit}, {@code hygiene}, {@code dnsbl},
 * {@code spf}, {@code verify}) build their checks and expose them by name, and {@code policy.Pipeline} runs them.
 *
 * <p>Must not: know a listener. The table is built from the configuration and the feature objects, so the SMTP
 * listener, another protocol's listener or a dry run get the same checks; the SMTP package depends on the checks'
 * types, never the other way round. See docs/checks.md for what each check does.
 *
 * <p>{@link greyrelay.relay.checks.DryRun} is that dry run ({@code greyrelay check}): the table rebuilt on the features'
 * read-only twins ({@code Features.dryRun}) with a tracing pipeline, so nothing is written, recorded or counted.
 */
package greyrelay.relay.checks;
