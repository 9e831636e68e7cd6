package greyrelay.db.node;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The heartbeat store: each node replaces its own row every few seconds; the panel lists them all. A handful of rows
 * (one per node), so no paging.
 *
 * <p>Every method takes a connection from the pool and gives it back; failures surface as {@link DatabaseException}
 * with a one-line message. Thread-safe.
 */
public final class NodeHeartbeats {
    private static final String COLUMNS = "name, version, started_at, last_seen, smtp_listening, queue_depth, oldest_message_s";

    private static final String UPDATE = "UPDATE node_heartbeat SET version = ?, started_at = ?, last_seen = ?,"
            + " smtp_listening = ?, queue_depth = ?, oldest_message_s = ? WHERE name = ?";
    private static final String INSERT = "INSERT INTO node_heartbeat (version, started_at, last_seen, smtp_listening,"
            + " queue_depth, oldest_message_s, name) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final Jdbc jdbc;

    public NodeHeartbeats(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /**
     * Writes the node's row, replacing the one it wrote before. Portable upsert (db/README.md): update; when no row was
     * there insert, and when a racing insert of the same name won in between, update again. Only one process writes
     * a given name, so the second update is a formality.
     */
    public void beat(NodeHeartbeat beat) {
        Objects.requireNonNull(beat, "beat");
        jdbc.withConnection("node heartbeat: cannot write " + beat.name(), c -> {
            if (Jdbc.update(c, UPDATE, s -> bind(s, beat)) > 0) return null;
            if (Jdbc.update(c, INSERT, s -> bind(s, beat)) > 0) return null;
            Jdbc.update(c, UPDATE, s -> bind(s, beat));
            return null;
        });
    }

    private static void bind(PreparedStatement s, NodeHeartbeat b) throws SQLException {
        int i = 0;
        s.setString(++i, b.version());
        s.setObject(++i, Jdbc.utc(b.startedAt()));
        s.setObject(++i, Jdbc.utc(b.lastSeen()));
        s.setBoolean(++i, b.smtpListening());
        s.setInt(++i, b.queueDepth());
        if (b.oldestMessageSeconds() == null) s.setNull(++i, Types.BIGINT);
        else s.setLong(++i, b.oldestMessageSeconds());
        s.setString(++i, b.name());
    }

    /** Every node that ever wrote a heartbeat, by name. */
    public List<NodeHeartbeat> list() {
        return list(Sort.asc(Column.NODE));
    }

    /** The columns the node list may be sorted by. */
    public enum Column implements SortColumn {
        NODE(Spec.of("name")), VERSION(Spec.of("version")), STARTED(Spec.of("started_at")),
        LAST_SEEN(Spec.of("last_seen")), SMTP(Spec.of("smtp_listening")), QUEUE(Spec.of("queue_depth")),
        OLDEST(Spec.nullable("oldest_message_s"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Every node in {@code sort}'s order (ties by name in the same direction). */
    public List<NodeHeartbeat> list(Sort<Column> sort) {
        return jdbc.list("node heartbeat: cannot list", "SELECT " + COLUMNS + " FROM node_heartbeat" + sort.orderBy("name"),
                Jdbc.NO_PARAMETERS, NodeHeartbeats::read);
    }

    /** Forgets a node (taken out of service); true when it was listed. */
    public boolean delete(String name) {
        Objects.requireNonNull(name, "name");
        return jdbc.update("node heartbeat: cannot delete " + name, "DELETE FROM node_heartbeat WHERE name = ?",
                s -> s.setString(1, name)) > 0;
    }

    /**
     * Forgets a node only if its last heartbeat is at or before {@code silentSince} (a dead node), in one statement, so a
     * node that beats meanwhile is kept; true when a row was deleted.
     */
    public boolean deleteIfSilentSince(String name, Instant silentSince) {
        Objects.requireNonNull(name, "name");
        return jdbc.update("node heartbeat: cannot delete " + name, "DELETE FROM node_heartbeat WHERE name = ? AND last_seen <= ?",
                s -> {
                    s.setString(1, name);
                    s.setObject(2, Jdbc.utc(silentSince));
                }) > 0;
    }

    /** One node's last heartbeat. */
    public Optional<NodeHeartbeat> find(String name) {
        return jdbc.first("node heartbeat: cannot read " + name, "SELECT " + COLUMNS + " FROM node_heartbeat WHERE name = ?",
                s -> s.setString(1, name), NodeHeartbeats::read);
    }

    private static NodeHeartbeat read(ResultSet rows) throws SQLException {
        return new NodeHeartbeat(
                rows.getString("name"),
                rows.getString("version"),
                Jdbc.instant(rows, "started_at"),
                Jdbc.instant(rows, "last_seen"),
                rows.getBoolean("smtp_listening"),
                rows.getInt("queue_depth"),
                rows.getObject("oldest_message_s", Long.class));
    }
}
