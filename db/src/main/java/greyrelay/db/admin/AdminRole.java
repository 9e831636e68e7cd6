package greyrelay.db.admin;

import java.util.Locale;
import java.util.Optional;

/**
 * What a panel user or API token may do: {@link #ADMIN} everything, {@link #VIEWER} read every page and answer but
 * change nothing and see no secret. Stored as its lower-case {@link #id()} ({@code admin_user.role},
 * {@code admin_api_token.role}, migration V12).
 */
public enum AdminRole {
    ADMIN, VIEWER;

    /** {@code admin}, {@code viewer}: the stored and displayed name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role of a name as typed ({@code admin}, {@code Viewer}); empty for anything else. */
    public static Optional<AdminRole> parse(String s) {
        if (s == null) return Optional.empty();
        for (AdminRole r : values()) {
            if (r.id().equals(s.strip().toLowerCase(Locale.ROOT))) return Optional.of(r);
        }
        return Optional.empty();
    }

    static AdminRole stored(String s) {
        return parse(s).orElseThrow(() -> new IllegalStateException("unknown role in the database: " + s));
    }
}
