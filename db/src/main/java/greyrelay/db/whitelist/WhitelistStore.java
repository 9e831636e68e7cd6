package greyrelay.db.whitelist;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.Where;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

    private final Jdbc jdbc;

    public WhitelistStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /** Every entry, oldest first. */
    public List<WhitelistEntry> all() {
        return jdbc.query("whitelist: cannot read entries", ALL, Jdbc.NO_PARAMETERS, WhitelistStore::readAll);
    }

    /** The entry with this id, if it exists and parses. */
    public Optional<WhitelistEntry> find(long id) {
        return jdbc.query("whitelist: cannot read entry " + id, BY_ID, s -> s.setLong(1, id), WhitelistStore::readFirst);
    }

    /** The entry of this kind with this value ({@link WhitelistEntry#normalise normalised} first), if stored. */
    public Optional<WhitelistEntry> find(WhitelistKind kind, String value) {
        String v = WhitelistEntry.normalise(kind, value);
        return jdbc.query("whitelist: cannot read entry " + v, FIND, s -> {
            s.setString(1, kind.name());
            s.setString(2, v);
        }, WhitelistStore::readFirst);
    }

    /**
     * One page of entries, newest first (admin panel).
     *
     * @param kind  only this kind; null for every kind
     * @param text  only entries whose value or note contains it, ignoring case; null for all
     * @param limit at most this many
     */
    public List<WhitelistEntry> search(WhitelistKind kind, String text, int limit, int offset) {
        return search(kind, text, limit, offset, Sort.desc(Column.ADDED));
    }

    /** The columns the whitelist may be sorted by. */
    public enum Column implements SortColumn {
        KIND(Spec.of("kind")), VALUE(Spec.of("entry_value")), NOTE(Spec.nullable("note")), SOURCE(Spec.of("source")),
        ADDED(Spec.of("id"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** One page of entries in {@code sort}'s order (ties by id in the same direction). */
    public List<WhitelistEntry> search(WhitelistKind kind, String text, int limit, int offset, Sort<Column> sort) {
        // the table holds what admins typed and imported (hundreds, a few thousand rows; the relay reads all of it
        // every refresh anyway), so a substring match over it is cheap enough and needs no index
        Where where = new Where();
        if (kind != null) {
            where.and("kind = ?", kind.name());
        }
        if (text != null && !text.isBlank()) {
            String pattern = Jdbc.containsPattern(text.strip());
            where.and("(" + Jdbc.like("LOWER(entry_value)") + " OR " + Jdbc.like("LOWER(note)") + ")", pattern, pattern);
        }
        String sql = "SELECT " + COLUMNS + " FROM whitelist_entry" + where.sql() + sort.orderBy("id") + " LIMIT ? OFFSET ?";
        return jdbc.query("whitelist: cannot search entries", sql, Jdbc.parameters(where.parameters(limit, offset)),
                WhitelistStore::readAll);
    }

    /** Adds an entry, or finds the one with the same kind and value; returns what is stored (with its id). */
    public WhitelistEntry add(WhitelistEntry entry) {
        Objects.requireNonNull(entry, "entry");
        return jdbc.withConnection("whitelist: cannot add " + entry.value(), c -> {
            insert(c, entry);
            try (PreparedStatement s = c.prepareStatement(FIND)) {
                s.setString(1, entry.kind().name());
                s.setString(2, entry.value());
                try (ResultSet rs = s.executeQuery()) {
                    Optional<WhitelistEntry> stored = readFirst(rs);
                    if (stored.isPresent()) return stored.get();
                }
            }
            throw new DatabaseException("whitelist: entry " + entry.value() + " not found after adding it");
        });
    }

    /**
     * Adds many entries in one transaction: all or none. Returns how many were new (existing values are kept as
     * they are). With {@code replaceSource}, entries whose source equals it are removed first, in the same
     * transaction, so a re-import replaces the previous import of the same file.
     */
    public int addAll(List<WhitelistEntry> entries, String replaceSource) {
        return jdbc.inTransaction("whitelist: cannot add " + entries.size() + " entries", c -> {
            if (replaceSource != null) {
                Jdbc.update(c, REMOVE_SOURCE, s -> s.setString(1, replaceSource));
            }
            int added = 0;
            for (WhitelistEntry e : entries) added += insert(c, e);
            return added;
        });
    }

    public boolean remove(long id) {
        return jdbc.update("whitelist: cannot remove entry " + id, REMOVE, s -> s.setLong(1, id)) > 0;
    }

    private static int insert(Connection c, WhitelistEntry e) throws SQLException {
        return Jdbc.update(c, INSERT, s -> {
            s.setString(1, e.kind().name());
            s.setString(2, e.value());
            s.setString(3, e.note());
            s.setString(4, e.source());
            s.setObject(5, Jdbc.utc(e.createdAt()));
        });
    }

    private static List<WhitelistEntry> readAll(ResultSet rs) throws SQLException {
        List<WhitelistEntry> out = new ArrayList<>();
        while (rs.next()) read(rs).ifPresent(out::add);
        return out;
    }

    private static Optional<WhitelistEntry> readFirst(ResultSet rs) throws SQLException {
        return rs.next() ? read(rs) : Optional.empty();
    }

    /**
     * A row the current code cannot read (an unknown kind written by a newer version, or a value edited by hand
     * into something invalid) is skipped rather than failing the whole list: one bad row must not disable every
     * whitelist. The relay logs how many entries it loaded.
     */
    private static Optional<WhitelistEntry> read(ResultSet rs) throws SQLException {
        try {
            return Optional.of(new WhitelistEntry(rs.getLong(1), WhitelistKind.valueOf(rs.getString(2)), rs.getString(3),
                    rs.getString(4), rs.getString(5), Jdbc.instant(rs, 6)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
