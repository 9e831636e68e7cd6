package greyrelay.admin.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, in memory: a random 256-bit id (the cookie) maps to the user and that session's CSRF token.
 * A session ends after {@code idleTimeout} without a request, after {@link #MAX_LIFETIME} in any case, at logout, and
 * when its user is deleted or gets a new password. A restart logs everybody out (nothing about sessions is stored).
 */
public final class Sessions {
    /** A session never lives longer than this, however active. */
    public static final Duration MAX_LIFETIME = Duration.ofHours(12);
    /** Beyond this many live sessions the oldest are dropped: memory stays bounded whatever a client does. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One session. {@code csrfToken} must accompany every state-changing request made with it. */
    public record Session(String id, String username, String csrfToken, Instant createdAt, Instant lastSeen) {
        Session seen(Instant now) {
            return new Session(id, username, csrfToken, createdAt, now);
        }
    }

    private final Clock clock;
    private final Duration idleTimeout;
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final Map<String, String> flash = new ConcurrentHashMap<>();

    public Sessions(Clock clock, Duration idleTimeout) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
    }

    /** A new session for a user who just proved who they are (a fresh id: no fixation). */
    public Session create(String username) {
        Instant now = clock.instant();
        if (live.size() >= MAX_SESSIONS) purge(now);
        Session s = new Session(randomToken(), username, randomToken(), now, now);
        live.put(s.id(), s);
        return s;
    }

    /** The live session with this id, marked as seen now; empty when unknown or expired (and then forgotten). */
    public Optional<Session> touch(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Session s = live.get(id);
        if (s == null) return Optional.empty();
        if (expired(s, now)) {
            invalidate(id);
            return Optional.empty();
        }
        Session seen = s.seen(now);
        live.replace(id, s, seen);
        return Optional.of(seen);
    }

    public void invalidate(String id) {
        if (id == null) return;
        live.remove(id);
        flash.remove(id);
    }

    /** Ends every session of a user (deleted, or a new password). */
    public void invalidateUser(String username) {
        live.values().removeIf(s -> s.username().equals(username));
    }

    /** A one-line message shown once on the next page of this session (after a redirect). */
    public void flash(String id, String message) {
        if (live.containsKey(id)) flash.put(id, message);
    }

    public Optional<String> takeFlash(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(flash.remove(id));
    }

    int size() {
        return live.size();
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(idleTimeout)) || !now.isBefore(s.createdAt().plus(MAX_LIFETIME));
    }

    private void purge(Instant now) {
        live.values().removeIf(s -> expired(s, now));
        while (live.size() >= MAX_SESSIONS) {
            live.values().stream().min(java.util.Comparator.comparing(Session::lastSeen))
                    .ifPresent(oldest -> invalidate(oldest.id()));
        }
        flash.keySet().retainAll(live.keySet());
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
