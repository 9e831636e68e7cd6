package greyrelay.relay.verify;

/** How an administrator's "verify again now" went (the verifiers' answer; the panel's words are in admin-ui). */
public sealed interface Reprobe {
    /** A probe started, or waits its turn in the domain's queue. */
    record Started() implements Reprobe {}

    /** A probe of this address was already running; its result is the fresh one. */
    record Joined() implements Reprobe {}

    /** No probe now, and why (one line for the administrator). */
    record Refused(String why) implements Reprobe {}
}
