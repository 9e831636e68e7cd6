package greyrelay.relay.policy;

/** What one check says. The first verdict that is not {@link Continue} answers the client. */
public sealed interface Verdict {
    Continue CONTINUE = new Continue();

    /** No objection; the next check decides. */
    record Continue() implements Verdict {}

    /** This recipient is accepted now; no further checks of this phase run for it. */
    record Accept(String why) implements Verdict {}

    /** A temporary failure (4xx). */
    record Defer(Reply reply, String why) implements Verdict {
        public Defer {
            if (!reply.isTransient()) throw new IllegalArgumentException("Defer needs a 4xx reply: " + reply);
        }
    }

    /** A permanent failure (5xx). */
    record Reject(Reply reply, String why) implements Verdict {
        public Reject {
            if (!reply.isPermanent()) throw new IllegalArgumentException("Reject needs a 5xx reply: " + reply);
        }
    }

    /** Answer and close the connection (421 at connect, or a 5xx protocol error). */
    record Disconnect(Reply reply, String why) implements Verdict {}
}
