package greyrelay.admin.auth;

import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.db.Database;
import greyrelay.db.admin.AdminRole;
import greyrelay.db.admin.AdminUser;
import greyrelay.db.admin.AdminUsers;
import greyrelay.db.admin.AuditLog;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Panel users: add, change password, delete, log in, and the first user on first start. Passwords are hashed here
 * (Argon2id) and every change is audited. Used by the panel and by {@code greyrelay admin-user}.
 *
 * <p>A user is an {@link AdminRole#ADMIN admin} (everything) or a {@link AdminRole#VIEWER viewer} (reads only; enforced
 * by {@code RoleGate}). Usernames are lower-cased; the last user cannot be deleted, nor the last admin deleted or made a
 * viewer (nobody could change anything again except by the CLI).
 */
public final class AdminAccounts {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AdminAccounts.class);
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 1024;
    /** The first user's name on first start. */
    public static final String FIRST_USER = "admin";
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    private static final char[] PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a change did. */
    public sealed interface Result {
        record Done(String username) implements Result {}

        /** The input was refused; {@code field} is the form field to show the message at. */
        record Invalid(String field, String message) implements Result {}

        record NotFound(String username) implements Result {}

        record Conflict(String message) implements Result {}
    }

    private final AdminUsers users;
    private final PasswordHasher hasher;
    private final Auditor audit;
    private final Clock clock;

    public AdminAccounts(AdminUsers users, PasswordHasher hasher, Auditor audit, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    /** For the command line: the stores of this database, audited as this node. */
    public static AdminAccounts open(Database database, Clock clock, String node) {
        return new AdminAccounts(new AdminUsers(database), new PasswordHasher(),
                new Auditor(new AuditLog(database), clock, node), clock);
    }

    public List<AdminUser> list() {
        return users.list();
    }

    public Optional<AdminUser> find(String username) {
        return normalise(username).flatMap(users::find);
    }

    /** Adds an admin. */
    public Result add(String username, String password, Actor by) {
        return add(username, password, AdminRole.ADMIN, by);
    }

    public Result add(String username, String password, AdminRole role, Actor by) {
        Optional<String> name = normalise(username);
        if (name.isEmpty()) return invalidName();
        Optional<Result> weak = checkPassword(password);
        if (weak.isPresent()) return weak.get();
        if (!users.create(name.get(), hasher.hash(password), clock.instant(), role)) {
            return new Result.Invalid("username", "a user named " + name.get() + " exists already");
        }
        audit.record(by, "user.add", name.get(), "role " + role.id());
        return new Result.Done(name.get());
    }

    /** Gives a user another role; the last admin stays one. */
    public Result setRole(String username, AdminRole role, Actor by) {
        Optional<AdminUser> user = normalise(username).flatMap(users::find);
        if (user.isEmpty()) return new Result.NotFound(String.valueOf(username));
        AdminRole was = user.get().role();
        if (was == role) return new Result.Done(user.get().username());
        if (was == AdminRole.ADMIN && users.count(AdminRole.ADMIN) <= 1) {
            return new Result.Conflict("the last admin cannot be made a viewer; make another user admin first");
        }
        if (!users.updateRole(user.get().username(), role)) return new Result.NotFound(user.get().username());
        audit.record(by, "user.role", user.get().username(), was.id() + " → " + role.id());
        return new Result.Done(user.get().username());
    }

    /** A user's own time display: the browser's zone ({@code true}) or UTC. Not audited: it changes nothing but the view. */
    public boolean setLocalTime(String username, boolean localTime) {
        return normalise(username).map(n -> users.updateLocalTime(n, localTime)).orElse(false);
    }

    public Result changePassword(String username, String password, Actor by) {
        Optional<String> name = normalise(username);
        if (name.isEmpty()) return new Result.NotFound(String.valueOf(username));
        Optional<Result> weak = checkPassword(password);
        if (weak.isPresent()) return weak.get();
        if (!users.updatePassword(name.get(), hasher.hash(password), clock.instant())) return new Result.NotFound(name.get());
        audit.record(by, "user.password", name.get(), null);
        return new Result.Done(name.get());
    }

    public Result delete(String username, Actor by) {
        Optional<String> name = normalise(username);
        if (name.isEmpty() || users.find(name.get()).isEmpty()) return new Result.NotFound(String.valueOf(username));
        if (users.count() <= 1) return new Result.Conflict("the last user cannot be deleted; add another one first");
        if (users.find(name.get()).map(AdminUser::role).orElse(null) == AdminRole.ADMIN && users.count(AdminRole.ADMIN) <= 1) {
            return new Result.Conflict("the last admin cannot be deleted; make another user admin first");
        }
        if (!users.delete(name.get())) return new Result.NotFound(name.get());
        audit.record(by, "user.delete", name.get(), null);
        return new Result.Done(name.get());
    }

    /**
     * The user's (normalised) name when the password is right. Unknown names cost as much time as wrong passwords.
     * The caller audits and throttles.
     */
    public Optional<String> authenticate(String username, String password) {
        if (password == null || password.length() > MAX_PASSWORD) return Optional.empty();
        Optional<AdminUser> user = normalise(username).flatMap(users::find);
        if (user.isEmpty()) {
            hasher.matchesNothing(password);
            return Optional.empty();
        }
        if (!hasher.matches(password, user.get().passwordHash())) return Optional.empty();
        users.recordLogin(user.get().username(), clock.instant());
        return Optional.of(user.get().username());
    }

    /**
     * On start: when no user exists, creates {@value #FIRST_USER} with the configured password, or with a generated one
     * which is returned (the caller prints it once) and must be changed at the first login. Empty when a user existed already or the password was configured.
     */
    public Optional<String> ensureFirstUser(String configuredPassword) {
        if (users.count() > 0) return Optional.empty();
        boolean generate = configuredPassword == null || configuredPassword.isEmpty();
        String password = generate ? generatePassword() : configuredPassword;
        // a generated password was printed in the log: it must be changed at the first login
        if (!users.createFirst(FIRST_USER, hasher.hash(password), clock.instant(), generate)) return Optional.empty();
        if (!generate && password.length() < MIN_PASSWORD) {
            log.warn("admin panel: admin.password is shorter than {} characters; change it on the Access page", MIN_PASSWORD);
        }
        audit.record(Actor.system(), "user.add", FIRST_USER,
                generate ? "first start: one-time password printed in the log" : "first start: password from admin.password");
        return generate ? Optional.of(password) : Optional.empty();
    }

    /**
     * The user of a session made at {@code sessionStart} while that session is still valid (the user exists and has not
     * changed password since); empty otherwise.
     */
    public Optional<AdminUser> sessionUser(String username, Instant sessionStart) {
        return users.find(username).filter(u -> !u.passwordChangedAt().isAfter(sessionStart));
    }

    /** Whether this is the user's current password (no login recorded: for the change-password form). */
    public boolean passwordMatches(String username, String password) {
        if (password == null || password.length() > MAX_PASSWORD) return false;
        return normalise(username).flatMap(users::find).map(u -> hasher.matches(password, u.passwordHash())).orElse(false);
    }

    static Optional<String> normalise(String username) {
        if (username == null) return Optional.empty();
        String n = username.strip().toLowerCase(Locale.ROOT);
        return USERNAME.matcher(n).matches() ? Optional.of(n) : Optional.empty();
    }

    private static Result invalidName() {
        return new Result.Invalid("username", "use 1 to 64 of a-z 0-9 . _ @ - (starting with a letter or digit)");
    }

    private static Optional<Result> checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            return Optional.of(new Result.Invalid("password", "at least " + MIN_PASSWORD + " characters"));
        }
        if (password.length() > MAX_PASSWORD) {
            return Optional.of(new Result.Invalid("password", "at most " + MAX_PASSWORD + " characters"));
        }
        return Optional.empty();
    }

    static String generatePassword() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) sb.append('-');
            sb.append(PASSWORD_ALPHABET[RANDOM.nextInt(PASSWORD_ALPHABET.length)]);
        }
        return sb.toString();
    }
}
