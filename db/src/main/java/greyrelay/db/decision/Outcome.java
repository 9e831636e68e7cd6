package greyrelay.db.decision;

/** What the client was told, as stored in {@code decision_log.outcome} (the constant's name). */
public enum Outcome {
    /** 2xx: the recipient or message was accepted. */
    ACCEPTED,
    /** 4xx: try again later (greylisting, temporary failures). */
    DEFERRED,
    /** 5xx: refused for good. */
    REJECTED,
    /** 421 or a dropped connection. */
    DISCONNECTED
}
