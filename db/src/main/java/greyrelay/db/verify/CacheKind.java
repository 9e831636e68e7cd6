package greyrelay.db.verify;

/** Whose address a verdict is about. */
public enum CacheKind {
    /** A sender address, verified by a callback to its domain's MX. */
    SENDER,
    /** One of our recipients, verified by asking the downstream MTA. */
    RECIPIENT
}
