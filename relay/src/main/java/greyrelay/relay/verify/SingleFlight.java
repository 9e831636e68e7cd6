package greyrelay.relay.verify;

import java.util.Optional;
import java.util.concurrent.Future;

/**
 * One probe per address at a time (Postfix verify's "in progress"): the first caller for a key leads the flight and
 * runs the probe; callers that come while it runs join it and share its result. Sender and recipient verification
 * both use it. {@link LocalSingleFlight} holds the flights of this process; {@link LeasedSingleFlight} adds a lease row
 * per address so that one node of a cluster probes it at a time (the others join by watching the shared cache).
 *
 * @param <R> what a flight comes to
 */
interface SingleFlight<R> {

    /** Leads a new flight for {@code key}, or joins the one running. */
    Flight<R> enter(String key);

    /** The result of the flight running for {@code key}, if one is. */
    Optional<Future<R>> running(String key);

    /** How a caller takes part in a flight. */
    sealed interface Flight<R> {
        /** Completes when the lead finishes; exceptionally when the lead was closed without a result. */
        Future<R> result();

        /** Another caller leads: wait for its result. */
        record Joined<R>(Future<R> result) implements Flight<R> {}

        /**
         * This caller leads: it must {@link #finish} the flight, and closes the lead on every path. Closing a lead
         * that was not finished ends the flight without a result, so no path leaves the key taken for good.
         */
        non-sealed interface Lead<R> extends Flight<R>, Permit {
            /** Ends the flight: callers from now on start a new one, then every joiner gets {@code result}. */
            void finish(R result);

            /**
             * The work starts now (it may have waited in a queue): keeps the flight for a whole run from now. False when
             * the flight was lost meanwhile (another node took the address over); the lead then ends without running.
             */
            default boolean renew() {
                return true;
            }
        }
    }
}
