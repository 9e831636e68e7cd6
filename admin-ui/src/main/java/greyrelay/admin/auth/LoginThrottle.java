package greyrelay.admin.auth;

import greyrelay.db.admin.LoginFailures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Failed logins in a sliding window, per client address and per account, in the database ({@code admin_login_failure})
 * so every node sharing it counts the same failures. After {@code maxPerAddress} failures from one address, or
 * {@code maxPerAccount} for one username from any addresses, within {@code window}, further attempts are refused
 * (without checking the password) until the oldest of those failures leaves the window: a distributed guessing attack
 * on {@code admin} from many addresses is slowed as much as one from a single address. A success clears the address
 * and the account.
 */
public final class LoginThrottle {
    /** Old failures are deleted at most this many at a time (at each failure). */
    static final int PURGE_BATCH = 1000;

    /** Why an attempt must wait, and how long. */
    public record Blocked(Duration retryAfter, boolean account) {}

    private final LoginFailures store;
    private final Clock clock;
    private final int maxPerAddress;
    private final int maxPerAccount;
    private final Duration window;

    public LoginThrottle(LoginFailures store, Clock clock, int maxPerAddress, int maxPerAccount, Duration window) {
        this.store = store;
        this.clock = clock;
        this.maxPerAddress = maxPerAddress;
        this.maxPerAccount = maxPerAccount;
        this.window = window;
    }

    /** Empty when this address may try this username now. */
    public Optional<Blocked> blockedFor(String ip, String username) {
        Instant now = clock.instant();
        Optional<Duration> byAddress = wait(address(ip), maxPerAddress, now);
        if (byAddress.isPresent()) return Optional.of(new Blocked(byAddress.get(), false));
        return wait(account(username), maxPerAccount, now).map(w -> new Blocked(w, true));
    }

    public void failed(String ip, String username) {
        Instant now = clock.instant();
        store.deleteOlderThan(now.minus(window), PURGE_BATCH);
        store.record(address(ip), now);
        store.record(account(username), now);
    }

    public void succeeded(String ip, String username) {
        store.clear(address(ip));
        store.clear(account(username));
    }

    private Optional<Duration> wait(String subject, int max, Instant now) {
        return store.nthLatest(subject, now.minus(window), max).map(oldest -> {
            Duration d = Duration.between(now, oldest.plus(window));
            return d.isNegative() ? Duration.ZERO : d;
        });
    }

    private static String address(String ip) {
        return "ip:" + ip;
    }

    /** The name as the login would read it; any typed text counts, so probing unknown names is throttled too. */
    private static String account(String username) {
        String u = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return "user:" + (u.length() > 100 ? u.substring(0, 100) : u);
    }
}
