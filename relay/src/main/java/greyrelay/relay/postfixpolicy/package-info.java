/**
 * The Postfix policy delegation listener ({@code check_policy_service inet:127.0.0.1:10023}, Postfix's
 * SMTPD_POLICY_README): Postfix stays the MX and asks us, per recipient, what to answer. Each request becomes the same
 * transaction facts our SMTP listener builds and goes through the same check table
 * ({@link greyrelay.relay.checks.CheckTable#policyPipeline}, every row but those Postfix does itself); the verdict
 * comes back as a Postfix action ({@code DUNNO}, {@code PREPEND X-Greylist: …}, {@code DEFER_IF_PERMIT …}, the
 * contract's {@code 4xx}/{@code 5xx} reply).
 *
 * <p>{@link greyrelay.relay.postfixpolicy.PolicyListener} accepts connections (one virtual thread each, persistent,
 * bounded in number and idle time); {@link greyrelay.relay.postfixpolicy.RequestReader} reads one request with bounded
 * line length, attribute count and size; {@link greyrelay.relay.postfixpolicy.PolicyConversation} keeps the state of
 * one connection (the current message, tied by Postfix's {@code instance}) and asks the pipeline;
 * {@link greyrelay.relay.postfixpolicy.Actions} turns a verdict into an action. A malformed or oversized request is
 * answered with {@code policy.onError} and the connection closed.
 *
 * <p>Imports the engine ({@code policy}), {@code address}, {@code config} and {@code text}; no feature package.
 */
package greyrelay.relay.postfixpolicy;
