package greyrelay.relay.greylist;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.greylist.ClientNetworkEntry;
import greyrelay.db.greylist.GreylistEntry;
import greyrelay.db.greylist.TripletKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every period boundary of the pure decision: delay 5m, retry window 2d, maxAge 35d, auto-whitelist after 5. */
class GreylistPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final TripletKey KEY = new TripletKey("192.0.2.0/24", "jane@example.org", "john@example.com");
    static final Duration DELAY = Duration.ofMinutes(5);
    static final Duration WINDOW = Duration.ofDays(2);
    static final Duration MAX_AGE = Duration.ofDays(35);
    static final GreylistPolicy POLICY = new GreylistPolicy(DELAY, WINDOW, MAX_AGE, 5);

    static GreylistEntry grey(Instant firstSeen) {
        return new GreylistEntry(KEY, firstSeen, firstSeen, null, 1, firstSeen.plus(WINDOW));
    }

    static GreylistEntry passed(Instant lastSeen) {
        return new GreylistEntry(KEY, lastSeen.minus(Duration.ofHours(1)), lastSeen, lastSeen.minusSeconds(60), 1,
                lastSeen.plus(MAX_AGE));
    }

    static ClientNetworkEntry client(int passes, Instant lastSeen) {
        return new ClientNetworkEntry("192.0.2.0/24", passes, lastSeen.minus(Duration.ofDays(1)), lastSeen, lastSeen.plus(MAX_AGE));
    }

    record Case(Optional<GreylistEntry> seen, Optional<ClientNetworkEntry> client, Instant now, Class<?> outcome, long seconds) {}

    static Arguments row(String name, GreylistEntry seen, ClientNetworkEntry client, Instant now, Class<?> outcome, long seconds) {
        return Arguments.of(Named.of(name, new Case(Optional.ofNullable(seen), Optional.ofNullable(client), now, outcome, seconds)));
    }

    static Stream<Arguments> periods() {
        return Stream.of(
                row("first sight defers the whole delay", null, null, T0, GreylistOutcome.FirstSight.class, 300),
                row("retry after 1 s is too early: 299 s left", grey(T0), null, T0.plusSeconds(1), GreylistOutcome.TooEarly.class, 299),
                row("retry 1 ms after first sight rounds up to 300 s", grey(T0), null, T0.plusMillis(1), GreylistOutcome.TooEarly.class, 300),
                row("retry 1 s before the delay: 1 s left", grey(T0), null, T0.plus(DELAY).minusSeconds(1), GreylistOutcome.TooEarly.class, 1),
                row("retry 1 ms before the delay: still 1 s left, never 0", grey(T0), null, T0.plus(DELAY).minusMillis(1),
                        GreylistOutcome.TooEarly.class, 1),
                row("retry exactly at the delay passes", grey(T0), null, T0.plus(DELAY), GreylistOutcome.FirstPass.class, 300),
                row("retry inside the window passes", grey(T0), null, T0.plus(Duration.ofHours(7)), GreylistOutcome.FirstPass.class, 25_200),
                row("retry exactly at the end of the window passes", grey(T0), null, T0.plus(WINDOW), GreylistOutcome.FirstPass.class,
                        WINDOW.toSeconds()),
                row("retry after the window starts over", grey(T0), null, T0.plus(WINDOW).plusSeconds(1), GreylistOutcome.Restart.class, 300),
                row("a clock behind the entry's never asks for more than the delay", grey(T0), null, T0.minusSeconds(30),
                        GreylistOutcome.TooEarly.class, 300),
                row("passed triplet used again passes", passed(T0), null, T0.plus(Duration.ofDays(10)), GreylistOutcome.KnownPass.class, 0),
                row("passed triplet exactly maxAge after last use passes", passed(T0), null, T0.plus(MAX_AGE),
                        GreylistOutcome.KnownPass.class, 0),
                row("passed triplet unused for longer than maxAge starts over", passed(T0), null, T0.plus(MAX_AGE).plusSeconds(1),
                        GreylistOutcome.Restart.class, 300),
                row("auto-whitelist: 4 passes are not enough", null, client(4, T0), T0, GreylistOutcome.FirstSight.class, 300),
                row("auto-whitelist: 5 passes skip greylisting of a new triplet", null, client(5, T0), T0,
                        GreylistOutcome.AutoWhitelisted.class, 0),
                row("auto-whitelist: a grey triplet retried too early passes", grey(T0), client(5, T0), T0.plusSeconds(10),
                        GreylistOutcome.AutoWhitelisted.class, 0),
                row("auto-whitelist: a grey triplet retried in time is still a first pass", grey(T0), client(5, T0), T0.plus(DELAY),
                        GreylistOutcome.FirstPass.class, 300),
                row("auto-whitelist: a network silent longer than maxAge is forgotten", null, client(50, T0), T0.plus(MAX_AGE).plusSeconds(1),
                        GreylistOutcome.FirstSight.class, 300),
                row("auto-whitelist: a network seen exactly maxAge ago still counts", null, client(5, T0), T0.plus(MAX_AGE),
                        GreylistOutcome.AutoWhitelisted.class, 0),
                row("auto-whitelist: a forgotten triplet of a whitelisted network passes", grey(T0), client(5, T0.plus(WINDOW)),
                        T0.plus(WINDOW).plusSeconds(1), GreylistOutcome.AutoWhitelisted.class, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("periods")
    void decides_each_period(Case c) {
        GreylistOutcome o = POLICY.decide(KEY, c.seen(), c.client(), c.now());

        assertThat(o).isInstanceOf(c.outcome());
        long seconds = switch (o) {
            case GreylistOutcome.FirstSight f -> f.retryInSeconds();
            case GreylistOutcome.TooEarly t -> t.retryInSeconds();
            case GreylistOutcome.Restart r -> r.retryInSeconds();
            case GreylistOutcome.FirstPass p -> p.delayedSeconds();
            case GreylistOutcome.KnownPass k -> 0;
            case GreylistOutcome.AutoWhitelisted a -> 0;
        };
        assertThat(seconds).isEqualTo(c.seconds());
        assertThat(o.defers()).isEqualTo(o instanceof GreylistOutcome.FirstSight || o instanceof GreylistOutcome.TooEarly
                || o instanceof GreylistOutcome.Restart);
    }

    @Test
    void first_sight_remembers_the_triplet_until_the_window_closes() {
        var f = (GreylistOutcome.FirstSight) POLICY.decide(KEY, Optional.empty(), Optional.empty(), T0);

        assertThat(f.create()).isEqualTo(new GreylistEntry(KEY, T0, T0, null, 1, T0.plus(WINDOW)));
    }

    @Test
    void a_restart_begins_a_fresh_round_from_now() {
        var r = (GreylistOutcome.Restart) POLICY.decide(KEY, Optional.of(passed(T0)), Optional.empty(), T0.plus(Duration.ofDays(40)));

        assertThat(r.replacement()).isEqualTo(new GreylistEntry(KEY, T0.plus(Duration.ofDays(40)), T0.plus(Duration.ofDays(40)), null, 1,
                T0.plus(Duration.ofDays(40)).plus(WINDOW)));
        assertThat(r.previous()).isEqualTo(passed(T0));
    }

    @Test
    void a_first_pass_is_remembered_for_max_age_from_now() {
        Instant now = T0.plus(Duration.ofMinutes(12));

        var p = (GreylistOutcome.FirstPass) POLICY.decide(KEY, Optional.of(grey(T0)), Optional.empty(), now);

        assertThat(p.expiresAt()).isEqualTo(now.plus(MAX_AGE));
        assertThat(p.delayedSeconds()).isEqualTo(720);
    }

    @Test
    void last_use_is_written_at_most_once_an_hour() {
        assertThat(POLICY.touchAfter()).isEqualTo(Duration.ofHours(1));
        var soon = (GreylistOutcome.KnownPass) POLICY.decide(KEY, Optional.of(passed(T0)), Optional.empty(), T0.plusSeconds(3599));
        var later = (GreylistOutcome.KnownPass) POLICY.decide(KEY, Optional.of(passed(T0)), Optional.empty(), T0.plusSeconds(3600));

        assertThat(soon.touch()).isFalse();
        assertThat(later.touch()).isTrue();
        assertThat(later.expiresAt()).isEqualTo(T0.plusSeconds(3600).plus(MAX_AGE));
    }

    @Test
    void auto_whitelisting_off_ignores_the_client_network() {
        GreylistPolicy off = new GreylistPolicy(DELAY, WINDOW, MAX_AGE, 0);

        assertThat(off.decide(KEY, Optional.empty(), Optional.of(client(1000, T0)), T0)).isInstanceOf(GreylistOutcome.FirstSight.class);
    }
}
