package greyrelay.admin.auth;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminRole;
import greyrelay.db.admin.ApiToken;
import greyrelay.db.admin.ApiTokens;
import greyrelay.db.admin.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import greyrelay.admin.web.Principal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API tokens for the JSON API ({@code Authorization: Bearer grt_…}): 256 random bits, shown once at creation, stored
 * only as a SHA-256 (a fast hash is enough for a secret that long; a slow one would only slow every API call). Also
 * accepts the local control token, which never touches the database.
 */
public final class ApiTokenService {
    public static final String PREFIX = "grt_";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** What creating a token did. */
    public sealed interface Created {
        /** {@code secret} is the token text: show it now, it cannot be shown again. */
        record Done(ApiToken token, String secret) implements Created {}

        record Invalid(String field, String message) implements Created {}
    }

    private final ApiTokens store;
    private final Auditor audit;
    private final Clock clock;
    private final Optional<String> controlToken;
    private final Map<Long, Instant> lastTouched = new ConcurrentHashMap<>();

    public ApiTokenService(ApiTokens store, Auditor audit, Clock clock, Optional<String> controlToken) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.controlToken = controlToken;
    }

    /** For the command line: the tokens of this database, audited as this node. */
    public static ApiTokenService open(Database database, Clock clock, String node) {
        return new ApiTokenService(new ApiTokens(database), new Auditor(new AuditLog(database), clock, node), clock, Optional.empty());
    }

    public List<ApiToken> list() {
        return store.list();
    }

    /** An admin token. */
    public Created create(String name, Actor by) {
        return create(name, AdminRole.ADMIN, by);
    }

    public Created create(String name, AdminRole role, Actor by) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            return new Created.Invalid("name", "use 1 to 64 of A-Z a-z 0-9 . _ - (starting with a letter or digit)");
        }
        String secret = PREFIX + Sessions.randomToken();
        Optional<ApiToken> made = store.create(n, sha256(secret), by.name(), clock.instant(), role);
        if (made.isEmpty()) return new Created.Invalid("name", "a token named " + n + " exists already");
        audit.record(by, "token.create", n, "role " + role.id());
        return new Created.Done(made.get(), secret);
    }

    /** False when there is no token of that name. */
    public boolean revoke(String name, Actor by) {
        if (name == null || !store.delete(name.strip())) return false;
        lastTouched.clear();
        audit.record(by, "token.revoke", name.strip(), null);
        return true;
    }

    /** Who presents this bearer token, if anyone. */
    public Optional<Principal> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 200) return Optional.empty();
        if (controlToken.isPresent() && MessageDigest.isEqual(controlToken.get().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Principal("control-token", Principal.Kind.CONTROL_TOKEN, AdminRole.ADMIN));
        }
        if (!presented.startsWith(PREFIX)) return Optional.empty();
        // looked up by its hash: the comparison happens on a digest, so its timing says nothing about the token
        Optional<ApiToken> token = store.findByHash(sha256(presented));
        token.ifPresent(this::touch);
        return token.map(t -> new Principal(t.name(), Principal.Kind.API_TOKEN, t.role()));
    }

    private void touch(ApiToken t) {
        Instant now = clock.instant();
        Instant last = lastTouched.get(t.id());
        if (last != null && now.isBefore(last.plus(TOUCH_EVERY))) return;
        lastTouched.put(t.id(), now);
        store.touch(t.id(), now);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
