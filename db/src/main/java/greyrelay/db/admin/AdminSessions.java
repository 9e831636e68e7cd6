package greyrelay.db.admin;

import greyrelay.db.Columns;
import greyrelay.db.Database;
import greyrelay.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code admin_session} store: panel sessions shared by every node of the database, looked up by the hash of the
 * cookie value. Expiry is the caller's policy: it writes {@code expires_at} and passes {@code now} to {@link #find}.
 * Thread-safe.
 */
public final class AdminSessions {
    /** Longest flash message kept (one line shown once after a redirect). */
    public static final int MAX_FLASH = 500;
    private static final String COLUMNS = "id_hash, username, client_ip, node, created_at, last_seen_at, expires_at";

    private final Jdbc jdbc;

    public AdminSessions(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    public void create(AdminSession s) {
        jdbc.update("admin sessions: cannot create a session for " + s.username(), "INSERT INTO admin_session (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)", st -> {
                    st.setString(1, s.idHash());
                    st.setString(2, s.username());
                    st.setString(3, s.clientIp());
                    st.setString(4, s.node());
                    st.setObject(5, Jdbc.utc(s.createdAt()));
                    st.setObject(6, Jdbc.utc(s.lastSeenAt()));
                    st.setObject(7, Jdbc.utc(s.expiresAt()));
                });
    }

    /** The session with this hash that has not expired at {@code now}. */
    public Optional<AdminSession> find(String idHash, Instant now) {
        if (!AdminSession.isHash(idHash)) return Optional.empty();
        return jdbc.first("admin sessions: lookup failed", "SELECT " + COLUMNS + " FROM admin_session WHERE id_hash = ?"
                + " AND expires_at > ?", st -> {
                    st.setString(1, idHash);
                    st.setObject(2, Jdbc.utc(now));
                }, AdminSessions::read);
    }

    /** Notes activity: a new last-seen time and expiry; false when the session is gone. */
    public boolean touch(String idHash, Instant lastSeen, Instant expiresAt) {
        return jdbc.update("admin sessions: cannot record activity", "UPDATE admin_session SET last_seen_at = ?, expires_at = ?"
                + " WHERE id_hash = ?", st -> {
                    st.setObject(1, Jdbc.utc(Columns.micros(lastSeen)));
                    st.setObject(2, Jdbc.utc(Columns.micros(expiresAt)));
                    st.setString(3, idHash);
                }) == 1;
    }

    /** Ends one session (logout); false when there was none. */
    public boolean delete(String idHash) {
        return jdbc.update("admin sessions: cannot delete a session", "DELETE FROM admin_session WHERE id_hash = ?",
                st -> st.setString(1, idHash)) == 1;
    }

    /** Ends every session of a user (deleted, or a new password); how many went. */
    public int deleteUser(String username) {
        return jdbc.update("admin sessions: cannot end the sessions of " + username, "DELETE FROM admin_session WHERE username = ?",
                st -> st.setString(1, username));
    }

    /** Removes up to {@code batchSize} sessions expired before {@code now}; how many went. */
    public int deleteExpired(Instant now, int batchSize) {
        return jdbc.deleteBatch("admin sessions: cannot delete expired sessions", "DELETE FROM admin_session WHERE id_hash IN"
                + " (SELECT id_hash FROM admin_session WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)", now, batchSize);
    }

    /** A one-line message for the next page of this session (after a redirect, perhaps served by another node). */
    public void flash(String idHash, String message) {
        jdbc.update("admin sessions: cannot keep a message", "UPDATE admin_session SET flash = ? WHERE id_hash = ?", st -> {
            st.setString(1, Columns.clean(Objects.requireNonNull(message, "message"), MAX_FLASH));
            st.setString(2, idHash);
        });
    }

    /** The flash message, removed: shown once. */
    public Optional<String> takeFlash(String idHash) {
        if (!AdminSession.isHash(idHash)) return Optional.empty();
        Optional<String> message = jdbc.first("admin sessions: cannot read a message", "SELECT flash FROM admin_session"
                + " WHERE id_hash = ? AND flash IS NOT NULL", st -> st.setString(1, idHash), rows -> rows.getString(1));
        message.ifPresent(m -> jdbc.update("admin sessions: cannot clear a message", "UPDATE admin_session SET flash = NULL"
                + " WHERE id_hash = ? AND flash = ?", st -> {
                    st.setString(1, idHash);
                    st.setString(2, m);
                }));
        return message;
    }

    public long count() {
        return jdbc.count("admin sessions: count failed", "SELECT COUNT(*) FROM admin_session", Jdbc.NO_PARAMETERS);
    }

    private static AdminSession read(ResultSet rows) throws SQLException {
        return new AdminSession(rows.getString("id_hash"), rows.getString("username"), rows.getString("client_ip"),
                rows.getString("node"), Jdbc.instant(rows, "created_at"), Jdbc.instant(rows, "last_seen_at"),
                Jdbc.instant(rows, "expires_at"));
    }
}
