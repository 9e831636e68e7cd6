package greyrelay.relay.policy;

/** Where decisions go besides the log line and metrics (the database's decision log). Must not block for long. */
public interface DecisionSink {
    void accept(Decision decision);

    DecisionSink NONE = d -> {};
}
