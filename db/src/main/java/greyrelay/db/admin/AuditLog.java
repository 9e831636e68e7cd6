package greyrelay.db.admin;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/** The {@code admin_audit} store: append an entry, search entries newest first. Nothing is ever updated. Thread-safe. */
public final class AuditLog {
    private static final String COLUMNS = "id, occurred_at, actor, action, target, detail, client_ip, node";
    private static final char LIKE_ESCAPE = '!';

    private final DataSource dataSource;

    public AuditLog(Database database) {
        this.dataSource = database.dataSource();
    }

    public void append(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO admin_audit (occurred_at, actor, action, target, detail,"
                        + " client_ip, node) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, Sql.utc(entry.at()));
            s.setString(2, entry.actor());
            s.setString(3, entry.action());
            s.setString(4, entry.target());
            s.setString(5, entry.detail());
            s.setString(6, entry.clientIp());
            s.setString(7, entry.node());
            s.executeUpdate();
        } catch (SQLException e) {
            throw DatabaseException.failed("audit log: cannot record " + entry.action(), e);
        }
    }

    /** Matching entries, newest first (ties: newest id first), one page. */
    public List<AuditEntry> search(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (q.text() != null) {
            where.add("(LOWER(actor) LIKE ? ESCAPE '!' OR LOWER(target) LIKE ? ESCAPE '!' OR LOWER(detail) LIKE ? ESCAPE '!')");
            String p = "%" + escape(q.text().toLowerCase(Locale.ROOT)) + "%";
            params.add(p);
            params.add(p);
            params.add(p);
        }
        if (q.action() != null) {
            if (q.action().endsWith(".")) {
                where.add("action LIKE ? ESCAPE '!'");
                params.add(escape(q.action()) + "%");
            } else {
                where.add("action = ?");
                params.add(q.action());
            }
        }
        if (q.from() != null) {
            where.add("occurred_at >= ?");
            params.add(Sql.utc(q.from()));
        }
        if (q.to() != null) {
            where.add("occurred_at < ?");
            params.add(Sql.utc(q.to()));
        }
        String sql = "SELECT " + COLUMNS + " FROM admin_audit" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?";
        params.add(q.limit());
        params.add(q.offset());
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    out.add(new AuditEntry(rows.getLong("id"), Sql.instant(rows, "occurred_at"), rows.getString("actor"),
                            rows.getString("action"), rows.getString("target"), rows.getString("detail"),
                            rows.getString("client_ip"), rows.getString("node")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw DatabaseException.failed("audit log: search failed", e);
        }
    }

    private static String escape(String text) {
        StringBuilder sb = new StringBuilder();
        for (char ch : text.toCharArray()) {
            if (ch == '%' || ch == '_' || ch == LIKE_ESCAPE) {
                sb.append(LIKE_ESCAPE);
            }
            sb.append(ch);
        }
        return sb.toString();
    }
}
