/**
 * The policy engine, and nothing else: {@link greyrelay.relay.policy.Verdict} (sealed), {@link greyrelay.relay.policy.Reply}
 * (cannot be illegal), {@link greyrelay.relay.policy.Replies} (the reply contract as constants, see docs/replies.md),
 * the per-phase requests, {@link greyrelay.relay.policy.Pipeline} and {@link greyrelay.relay.policy.DecisionRecorder}.
 *
 * <p>It knows no check and no SMTP library: checks live in their feature packages ({@code access}, {@code greylist},
 * {@code verify}, …) and {@code smtp} turns verdicts into replies. Connection facts are {@link
 * greyrelay.relay.policy.SessionFacts}, envelope facts a {@link greyrelay.relay.policy.Transaction}. A check that learns
 * something about the transaction for later checks sets a typed fact on it ({@link
 * greyrelay.relay.policy.TransactionFacts}, each set once, e.g. the {@link greyrelay.relay.policy.SpfFact}), so no
 * feature package reads another's keys; what concerns the whole connection goes to {@link
 * greyrelay.relay.policy.SessionNotes} or as exemptions on the request. What a listener offers the checks is typed here
 * too ({@link greyrelay.relay.policy.OpenConnections}, {@link greyrelay.relay.policy.GreetingProbe}), so checks never
 * import the listener.
 * Checks that authenticate something (SPF, sender verification) add an {@link greyrelay.relay.policy.AuthResult} to
 * the transaction; the SMTP layer renders them into one {@code Authentication-Results:} header.
 *
 * <p>Failure rule: a check that throws is answered {@code 451 4.3.0 Temporary local problem} and logged — never
 * pass unchecked, never 5xx for our own trouble. Observe mode records the would-be answer and continues.
 */
package greyrelay.relay.policy;
