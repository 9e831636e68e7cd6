package greyrelay.relay.greylist;

import greyrelay.db.greylist.ClientNetworkEntry;
import greyrelay.db.greylist.GreylistEntry;
import java.time.Instant;

/**
 * What {@link GreylistPolicy} decided about one triplet, and so what to write. Deferring outcomes carry the seconds
 * left until a retry can pass; passing outcomes say why they pass.
 */
public sealed interface GreylistOutcome {

    /** Unknown triplet: remember {@code create} and defer for the whole delay. */
    record FirstSight(GreylistEntry create, long retryInSeconds) implements GreylistOutcome {}

    /** Known but grey, retried before the delay: defer for what is left; the clock is not restarted. */
    record TooEarly(GreylistEntry entry, long retryInSeconds) implements GreylistOutcome {}

    /**
     * Known, but forgotten by now (a grey triplet past the retry window, or a passed one unused for longer than
     * maxAge): start a new round as on first sight.
     */
    record Restart(GreylistEntry previous, GreylistEntry replacement, long retryInSeconds) implements GreylistOutcome {}

    /** Grey, retried after the delay and within the window: passes now and from now on. */
    record FirstPass(GreylistEntry previous, long delayedSeconds, Instant expiresAt) implements GreylistOutcome {}

    /** Passed before and still remembered; {@code touch}: move its last use to now (not on every message). */
    record KnownPass(GreylistEntry entry, boolean touch, Instant expiresAt) implements GreylistOutcome {}

    /** The client network is auto-whitelisted: passes without greylisting this triplet. */
    record AutoWhitelisted(ClientNetworkEntry client, boolean touch, Instant expiresAt) implements GreylistOutcome {}

    /** True for the outcomes that answer 451. */
    default boolean defers() {
        return this instanceof FirstSight || this instanceof TooEarly || this instanceof Restart;
    }
}
