package greyrelay.relay.greylist;

import greyrelay.db.greylist.ClientNetworkEntry;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.TripletKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The greylisting decision, pure: what is stored about a triplet (and its client network) plus the time → an
 * outcome. No I/O, no clock: {@code now} is read once by the caller.
 *
 * <p>Periods (elapsed = now − firstSeen of the current round):
 * <ul>
 *   <li>unknown → defer {@code delay} (first sight);</li>
 *   <li>grey, elapsed &lt; delay → defer what is left, rounded up to whole seconds (too early; clock not restarted);</li>
 *   <li>grey, delay ≤ elapsed ≤ retryWindow → pass, remembered as passed (first pass);</li>
 *   <li>grey, elapsed &gt; retryWindow → forgotten: a new round, defer {@code delay};</li>
 *   <li>passed, now − lastSeen ≤ maxAge → pass (known);</li>
 *   <li>passed, now − lastSeen &gt; maxAge → forgotten: a new round.</li>
 * </ul>
 * Auto-whitelist: a client network with at least {@code autoWhitelistAfter} counted passes (0 = off), last seen
 * within maxAge, passes any triplet that is not already passing on its own (unknown, grey but too early, or
 * forgotten). A grey triplet retried in time is a first pass even then, so it is counted and gets its header.
 *
 * <p>Last use is written only when it is older than {@link #touchAfter()} (at most an hour), so a busy triplet
 * costs a read per message, not a write; a triplet is thus forgotten up to that much earlier than maxAge says.
 */
public final class GreylistPolicy {
    private final Duration delay;
    private final Duration retryWindow;
    private final Duration maxAge;
    private final int autoWhitelistAfter;
    private final Duration touchAfter;

    public GreylistPolicy(Duration delay, Duration retryWindow, Duration maxAge, int autoWhitelistAfter) {
        this.delay = Objects.requireNonNull(delay, "delay");
        this.retryWindow = Objects.requireNonNull(retryWindow, "retryWindow");
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        if (!delay.isPositive() || retryWindow.compareTo(delay) <= 0 || !maxAge.isPositive() || autoWhitelistAfter < 0) {
            throw new IllegalArgumentException("need 0 < delay < retryWindow, maxAge > 0, autoWhitelistAfter >= 0");
        }
        this.autoWhitelistAfter = autoWhitelistAfter;
        Duration t = maxAge.dividedBy(24);
        this.touchAfter = t.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : t;
    }

    public Duration maxAge() {
        return maxAge;
    }

    /** False when {@code autoWhitelistAfter} is 0: a client network's counter never changes a decision. */
    public boolean autoWhitelists() {
        return autoWhitelistAfter > 0;
    }

    public Duration touchAfter() {
        return touchAfter;
    }

    public GreylistOutcome decide(TripletKey key, Optional<GreylistEntry> seen, Optional<ClientNetworkEntry> client, Instant now) {
        Objects.requireNonNull(key, "key");
        Optional<GreylistOutcome> awl = autoWhitelisted(client, now);
        if (seen.isEmpty()) {
            return awl.orElseGet(() -> new GreylistOutcome.FirstSight(fresh(key, now), seconds(delay)));
        }
        GreylistEntry e = seen.get();
        if (e.passed()) {
            if (!now.isAfter(e.lastSeen().plus(maxAge))) {
                return new GreylistOutcome.KnownPass(e, !now.isBefore(e.lastSeen().plus(touchAfter)), now.plus(maxAge));
            }
            return awl.orElseGet(() -> new GreylistOutcome.Restart(e, fresh(key, now), seconds(delay)));
        }
        Duration elapsed = Duration.between(e.firstSeen(), now);
        if (elapsed.compareTo(delay) >= 0 && elapsed.compareTo(retryWindow) <= 0) {
            return new GreylistOutcome.FirstPass(e, elapsed.toSeconds(), now.plus(maxAge));
        }
        if (awl.isPresent()) return awl.get();
        if (elapsed.compareTo(retryWindow) > 0) return new GreylistOutcome.Restart(e, fresh(key, now), seconds(delay));
        // elapsed < delay; a clock behind the entry's (another node's) never asks for more than the delay
        Duration left = delay.minus(elapsed);
        return new GreylistOutcome.TooEarly(e, Math.min(seconds(left), seconds(delay)));
    }

    private Optional<GreylistOutcome> autoWhitelisted(Optional<ClientNetworkEntry> client, Instant now) {
        if (autoWhitelistAfter == 0 || client.isEmpty()) return Optional.empty();
        ClientNetworkEntry c = client.get();
        if (c.passes() < autoWhitelistAfter || now.isAfter(c.lastSeen().plus(maxAge))) return Optional.empty();
        return Optional.of(new GreylistOutcome.AutoWhitelisted(c, !now.isBefore(c.lastSeen().plus(touchAfter)), now.plus(maxAge)));
    }

    private GreylistEntry fresh(TripletKey key, Instant now) {
        return new GreylistEntry(key, now, now, null, 1, now.plus(retryWindow));
    }

    /** Whole seconds, rounded up, at least 1: "try again in 0 seconds" would be a lie. */
    static long seconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
