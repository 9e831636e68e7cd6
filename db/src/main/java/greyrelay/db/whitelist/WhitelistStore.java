package greyrelay.db.whitelist;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Whitelist entries in the database, edited by the admin panel and {@code greyrelay whitelist import}. The relay
 * never reads it per message: it loads {@link #all()} into an in-memory snapshot on a schedule. Values are unique
 * per kind; adding one that exists keeps the existing row. Thread-safe; failures are {@link DatabaseException}s.
 */
public final class WhitelistStore {
    private static final String COLUMNS = "id, kind, entry_value, note, source, created_at";
    private static final String ALL = "SELECT " + COLUMNS + " FROM whitelist_entry ORDER BY id";
    private static final String FIND = "SELECT " + COLUMNS + " FROM whitelist_entry WHERE kind = ? AND entry_value = ?";
    private static final String INSERT = "INSERT INTO whitelist_entry (kind, entry_value, note, source, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM whitelist_entry WHERE id = ?";
    private static final String REMOVE = "DELETE FROM whitelist_entry WHERE id = ?";
    private static final String REMOVE_SOURCE = "DELETE FROM whitelist_entry WHERE source = ?";

    private final DataSource dataSource;

    public WhitelistStore(Database database) {
        this.dataSource = database.dataSource();
    }

    /** Every entry, oldest first. */
    public List<WhitelistEntry> all() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(ALL);
                ResultSet rs = s.executeQuery()) {
            List<WhitelistEntry> out = new ArrayList<>();
            while (rs.next()) {
                Optional<WhitelistEntry> e = read(rs);
                e.ifPresent(out::add);
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot read entries", e);
        }
    }

    /** The entry with this id, if it exists and parses. */
    public Optional<WhitelistEntry> find(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(BY_ID)) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? read(rs) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot read entry " + id, e);
        }
    }

    /** The entry of this kind with this value ({@link WhitelistEntry#normalise normalised} first), if stored. */
    public Optional<WhitelistEntry> find(WhitelistKind kind, String value) {
        String v = WhitelistEntry.normalise(kind, value);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(FIND)) {
            s.setString(1, kind.name());
            s.setString(2, v);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? read(rs) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot read entry " + v, e);
        }
    }

    /**
     * One page of entries, newest first (admin panel).
     *
     * @param kind  only this kind; null for every kind
     * @param text  only entries whose value or note contains it, ignoring case; null for all
     * @param limit at most this many
     */
    public List<WhitelistEntry> search(WhitelistKind kind, String text, int limit, int offset) {
        // the table holds what admins typed and imported (hundreds, a few thousand rows; the relay reads all of it
        // every refresh anyway), so a substring match over it is cheap enough and needs no index
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM whitelist_entry WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind.name());
        }
        if (text != null && !text.isBlank()) {
            String pattern = "%" + likeEscape(text.strip().toLowerCase(Locale.ROOT)) + "%";
            sql.append(" AND (LOWER(entry_value) LIKE ? ESCAPE '!' OR LOWER(note) LIKE ? ESCAPE '!')");
            args.add(pattern);
            args.add(pattern);
        }
        sql.append(" ORDER BY id DESC LIMIT ? OFFSET ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 0;
            for (String a : args) s.setString(++i, a);
            s.setInt(++i, limit);
            s.setInt(++i, offset);
            List<WhitelistEntry> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) read(rs).ifPresent(out::add);
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot search entries", e);
        }
    }

    /** {@code %}, {@code _} and the escape character {@code !} match literally (db/README.md: portable LIKE). */
    static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** Adds an entry, or finds the one with the same kind and value; returns what is stored (with its id). */
    public WhitelistEntry add(WhitelistEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try (Connection c = dataSource.getConnection()) {
            insert(c, entry);
            try (PreparedStatement s = c.prepareStatement(FIND)) {
                s.setString(1, entry.kind().name());
                s.setString(2, entry.value());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        Optional<WhitelistEntry> stored = read(rs);
                        if (stored.isPresent()) return stored.get();
                    }
                }
            }
            throw new DatabaseException("whitelist: entry " + entry.value() + " not found after adding it");
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot add " + entry.value(), e);
        }
    }

    /**
     * Adds many entries in one transaction: all or none. Returns how many were new (existing values are kept as
     * they are). With {@code replaceSource}, entries whose source equals it are removed first, in the same
     * transaction, so a re-import replaces the previous import of the same file.
     */
    public int addAll(List<WhitelistEntry> entries, String replaceSource) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (replaceSource != null) {
                    try (PreparedStatement s = c.prepareStatement(REMOVE_SOURCE)) {
                        s.setString(1, replaceSource);
                        s.executeUpdate();
                    }
                }
                int added = 0;
                for (WhitelistEntry e : entries) added += insert(c, e);
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot add " + entries.size() + " entries", e);
        }
    }

    public boolean remove(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(REMOVE)) {
            s.setLong(1, id);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw DatabaseException.failed("whitelist: cannot remove entry " + id, e);
        }
    }

    private static int insert(Connection c, WhitelistEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            s.setString(1, e.kind().name());
            s.setString(2, e.value());
            s.setString(3, e.note());
            s.setString(4, e.source());
            s.setObject(5, e.createdAt().atOffset(ZoneOffset.UTC));
            return s.executeUpdate();
        }
    }

    /**
     * A row the current code cannot read (an unknown kind written by a newer version, or a value edited by hand
     * into something invalid) is skipped rather than failing the whole list: one bad row must not disable every
     * whitelist. The relay logs how many entries it loaded.
     */
    private static Optional<WhitelistEntry> read(ResultSet rs) throws SQLException {
        try {
            return Optional.of(new WhitelistEntry(rs.getLong(1), WhitelistKind.valueOf(rs.getString(2)), rs.getString(3),
                    rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
