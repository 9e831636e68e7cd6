package greyrelay.admin.auth;

import greyrelay.db.admin.AdminSession;
import greyrelay.db.admin.AdminSessions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Browser sessions, in the database ({@code admin_session}) so every node sharing it knows them and a restart logs
 * nobody out: a random 256-bit id (the cookie) of which only the SHA-256 is stored, the user, and times. The CSRF token
 * is derived from the id (a hash of it), so it is never stored and does not reveal the id. A session ends after
 * {@code idleTimeout} without a request, after {@link #MAX_LIFETIME} in any case, at logout, and when its user is
 * deleted or gets a new password.
 */
public final class Sessions {
    /** A session never lives longer than this, however active. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);
    /** Expired rows are deleted at most this many at a time (at each login). */
    static final int PURGE_BATCH = 1000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session. {@code csrfToken} must accompany every state-changing request made with it. */
    public record Session(String id, String username, String csrfToken, Instant createdAt, Instant lastSeen) {
        /** Never prints the id or the token. */
        @Override
        public String toString() {
            return "Session[username=" + username + ", createdAt=" + createdAt + ", lastSeen=" + lastSeen + "]";
        }
    }

    private final AdminSessions store;
    private final Clock clock;
    private final Duration idleTimeout;
    private final String node;
    /** Activity is written at most this often per session: not one database write per request. */
    private final Duration touchEvery;

    public Sessions(AdminSessions store, Clock clock, Duration idleTimeout, String node) {
        this.store = store;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.node = node;
        Duration tenth = idleTimeout.dividedBy(10);
        this.touchEvery = tenth.compareTo(Duration.ofMinutes(1)) < 0 ? tenth : Duration.ofMinutes(1);
    }

    /** A new session for a user who just proved who they are (a fresh id: no fixation). */
    public Session create(String username, String clientIp) {
        Instant now = clock.instant();
        store.deleteExpired(now, PURGE_BATCH);
        String id = randomToken();
        AdminSession row = new AdminSession(hash(id), username, clientIp, node, now, now, expiry(now, now));
        store.create(row);
        return new Session(id, username, csrfOf(id), row.createdAt(), row.lastSeenAt());
    }

    /** The live session with this id, marked as seen now; empty when unknown or expired. */
    public Optional<Session> touch(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) return Optional.empty();
        Instant now = clock.instant();
        String h = hash(id);
        Optional<AdminSession> row = store.find(h, now);
        if (row.isEmpty()) return Optional.empty();
        AdminSession s = row.get();
        Instant lastSeen = s.lastSeenAt();
        if (!now.isBefore(lastSeen.plus(touchEvery))) {
            lastSeen = now;
            store.touch(h, now, expiry(s.createdAt(), now));
        }
        return Optional.of(new Session(id, s.username(), csrfOf(id), s.createdAt(), lastSeen));
    }

    /** Logout: the row is deleted. */
    public void invalidate(String id) {
        if (id == null || id.isEmpty()) return;
        store.delete(hash(id));
    }

    /** Ends every session of a user (deleted, or a new password). */
    public void invalidateUser(String username) {
        store.deleteUser(username);
    }

    /** A one-line message shown once on the next page of this session (after a redirect, on whichever node). */
    public void flash(String id, String message) {
        if (id != null) store.flash(hash(id), message);
    }

    public Optional<String> takeFlash(String id) {
        return id == null ? Optional.empty() : store.takeFlash(hash(id));
    }

    private Instant expiry(Instant createdAt, Instant lastSeen) {
        Instant idle = lastSeen.plus(idleTimeout);
        Instant max = createdAt.plus(MAX_LIFETIME);
        return idle.isBefore(max) ? idle : max;
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What is stored for an id: lower-case hex SHA-256. */
    static String hash(String id) {
        return HexFormat.of().formatHex(sha256(id));
    }

    private static String csrfOf(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("greyrelay csrf\0" + id));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
