package greyrelay.relay.policy;

/**
 * One check of the pipeline, for one phase ({@code R} is that phase's request). Called on the connection's
 * (virtual) thread; it may block on DNS or the database. Throwing is allowed and means "could not decide":
 * the pipeline answers {@code 451 4.3.0} (fail closed), never passes the mail unchecked.
 */
public interface Check<R extends PolicyRequest> {
    /** Short stable name used in logs, metrics and the decision log, e.g. {@code relay-domain}. */
    String name();

    Verdict evaluate(R request) throws Exception;
}
