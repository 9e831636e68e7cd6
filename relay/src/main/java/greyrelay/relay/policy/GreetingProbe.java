package greyrelay.relay.policy;

import java.time.Duration;

/**
 * The pre-greeting test's SMTP side (postscreen's "pregreet"): what a connect check may ask of the connection
 * before the banner. The SMTP listener puts one in the session notes under {@link #KEY} before the connect checks
 * run (a request without a banner has none, and the check passes); the decision (exempt? enforce?) is the check's.
 *
 * <p>Call order: at most one {@link #sendFirstLineAndListen} per connection, during the connect phase. It sends the
 * first line of a multi-line banner ({@code 220-<hostname> ESMTP greyrelay}); the library sends the final
 * {@code 220 } line when every connect check has passed, or the refusal instead.
 */
public interface GreetingProbe {
    SessionNotes.Key<GreetingProbe> KEY = new SessionNotes.Key<>("greeting-probe");

    /** What the client did while the banner was incomplete. */
    sealed interface Heard {
        /** Said nothing: a patient SMTP client. */
        record Nothing() implements Heard {}

        /** Sent bytes before the final banner line: a bot that does not wait for its turn. */
        record TalkedEarly() implements Heard {}

        /** Closed the connection. */
        record HungUp() implements Heard {}
    }

    /** Sends the banner's first line, then listens for up to {@code wait}; returns at the first byte. */
    Heard sendFirstLineAndListen(Duration wait);
}
