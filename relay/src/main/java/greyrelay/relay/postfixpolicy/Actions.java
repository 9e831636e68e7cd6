package greyrelay.relay.postfixpolicy;

import greyrelay.relay.config.PolicyConfig;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.Verdict;
import java.util.Optional;

/**
 * The one place where a verdict becomes a Postfix action (access(5) syntax, one line):
 * <ul>
 *   <li>pass: {@code DUNNO} (let Postfix's other restrictions decide), or {@code PREPEND <header>} when a check added a
 *       trace header such as {@code X-Greylist} (Postfix cannot prepend at end of data, so there it is {@code DUNNO});</li>
 *   <li>defer: {@code DEFER_IF_PERMIT <x.y.z text>} (postgrey's choice: a later reject still wins), or with
 *       {@code policy.deferAction: reply} the contract's {@code 4xx x.y.z text};</li>
 *   <li>reject and disconnect: the contract's {@code 5xx x.y.z text} (a {@code 421} makes Postfix hang up too);</li>
 *   <li>could not decide (a check failed: the pipeline's {@code 451 4.3.0}): {@code policy.onError}.</li>
 * </ul>
 */
record Actions(PolicyConfig.DeferAction deferAction, String onError) {
    static final String DUNNO = "DUNNO";

    static Actions of(PolicyConfig config) {
        return new Actions(config.deferAction(), config.onError());
    }

    /** A passing verdict, with the header to prepend if any ({@code Name: value}, one line). */
    String pass(Optional<String> header) {
        return header.map(h -> "PREPEND " + h).orElse(DUNNO);
    }

    /** A verdict that is not a pass. */
    String refuse(Verdict v) {
        return switch (v) {
            // a check that failed (the pipeline's fail-closed 451 4.3.0) is our trouble, not the mail's
            case Verdict.Defer d -> d.reply().equals(Replies.LOCAL_PROBLEM) ? onError : defer(d.reply());
            case Verdict.Reject r -> r.reply().line();
            case Verdict.Disconnect d -> d.reply().isTransient() ? defer(d.reply()) : d.reply().line();
            case Verdict.Continue c -> DUNNO;
            case Verdict.Accept a -> DUNNO;
        };
    }

    private String defer(Reply reply) {
        return switch (deferAction) {
            case DEFER_IF_PERMIT -> "DEFER_IF_PERMIT " + reply.message();
            case REPLY -> reply.line();
        };
    }
}
