package greyrelay.admin.probes;

/** How a "verify again now" went. */
public sealed interface Reverify {
    /** A fresh probe has started (or waits its turn in the domain's queue). */
    record Started() implements Reverify {}

    /** A probe of this address was already running; its result is the fresh one. */
    record AlreadyRunning() implements Reverify {}

    /**
     * No probe now: the address is not probeable, verification of that kind is off, or a budget refused it.
     *
     * @param why for the administrator, one line
     */
    record Refused(String why) implements Reverify {}
}
