package greyrelay.db.admin;

import greyrelay.db.Columns;
import greyrelay.db.Database;
import greyrelay.db.Jdbc;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code admin_login_failure} store: one row per failed login and per throttled subject (a client address, an
 * account), shared by every node of the database. The window and limit are the caller's policy. Thread-safe.
 */
public final class LoginFailures {
    /** Longest subject kept ({@code ip:…}, {@code user:…}); longer ones are cut. */
    public static final int MAX_SUBJECT = 200;

    private final Jdbc jdbc;

    public LoginFailures(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    public void record(String subject, Instant at) {
        jdbc.update("login failures: cannot record", "INSERT INTO admin_login_failure (subject, failed_at) VALUES (?, ?)", st -> {
            st.setString(1, clean(subject));
            st.setObject(2, Jdbc.utc(Columns.micros(at)));
        });
    }

    /**
     * The time of the {@code n}-th most recent failure of this subject after {@code since} (n = 1: the latest); empty
     * when there are fewer. With n = the limit, the subject is blocked until that time plus the window.
     */
    public Optional<Instant> nthLatest(String subject, Instant since, int n) {
        if (n < 1) throw new IllegalArgumentException("n must be at least 1");
        return jdbc.first("login failures: lookup failed", "SELECT failed_at FROM admin_login_failure WHERE subject = ?"
                + " AND failed_at > ? ORDER BY failed_at DESC LIMIT 1 OFFSET ?", st -> {
                    st.setString(1, clean(subject));
                    st.setObject(2, Jdbc.utc(since));
                    st.setInt(3, n - 1);
                }, rows -> Jdbc.instant(rows, 1));
    }

    /** Forgets a subject's failures (a successful login). */
    public void clear(String subject) {
        jdbc.update("login failures: cannot clear", "DELETE FROM admin_login_failure WHERE subject = ?",
                st -> st.setString(1, clean(subject)));
    }

    /** Removes up to {@code batchSize} failures at or before {@code cutoff}; how many went. */
    public int deleteOlderThan(Instant cutoff, int batchSize) {
        return jdbc.deleteBatch("login failures: cannot delete old rows", "DELETE FROM admin_login_failure WHERE id IN"
                + " (SELECT id FROM admin_login_failure WHERE failed_at <= ? ORDER BY failed_at LIMIT ?)", cutoff, batchSize);
    }

    private static String clean(String subject) {
        return Columns.clean(Objects.requireNonNull(subject, "subject"), MAX_SUBJECT);
    }
}
