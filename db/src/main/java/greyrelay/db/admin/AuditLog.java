package greyrelay.db.admin;

import greyrelay.db.Columns;
import greyrelay.db.Database;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import greyrelay.db.Where;
import java.util.List;
import java.util.Objects;

/** The {@code admin_audit} store: append an entry, search entries newest first. Nothing is ever updated. Thread-safe. */
public final class AuditLog {
    private static final String COLUMNS = "id, occurred_at, actor, action, target, detail, client_ip, node";

    private final Jdbc jdbc;

    public AuditLog(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    public void append(AuditEntry entry) {
        Objects.requireNonNull(entry, "entry");
        jdbc.update("audit log: cannot record " + entry.action(), "INSERT INTO admin_audit (occurred_at, actor, action,"
                + " target, detail, client_ip, node) VALUES (?, ?, ?, ?, ?, ?, ?)", s -> {
                    s.setObject(1, Jdbc.utc(entry.at()));
                    s.setString(2, entry.actor());
                    s.setString(3, entry.action());
                    s.setString(4, entry.target());
                    s.setString(5, entry.detail());
                    s.setString(6, entry.clientIp());
                    s.setString(7, entry.node());
                });
    }

    /** Matching entries, newest first (ties: newest id first), one page. */
    public List<AuditEntry> search(AuditQuery q) {
        return search(q, Sort.desc(Column.TIME));
    }

    /** The columns the audit log may be sorted by. */
    public enum Column implements SortColumn {
        TIME(Spec.of("occurred_at")), WHO(Spec.of("actor")), ACTION(Spec.of("action")),
        TARGET(Spec.nullable("target")), DETAIL(Spec.nullable("detail")), FROM(Spec.nullable("client_ip")),
        NODE(Spec.nullable("node"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** Matching entries in {@code sort}'s order (ties by id in the same direction), one page. */
    public List<AuditEntry> search(AuditQuery q, Sort<Column> sort) {
        Objects.requireNonNull(q, "query");
        Where where = new Where();
        if (q.text() != null) {
            String p = Jdbc.containsPattern(q.text());
            where.and("(" + Jdbc.like("LOWER(actor)") + " OR " + Jdbc.like("LOWER(target)") + " OR "
                    + Jdbc.like("LOWER(detail)") + ")", p, p, p);
        }
        if (q.action() != null) {
            if (q.action().endsWith(".")) {
                where.and(Jdbc.like("action"), Jdbc.likeEscape(q.action()) + "%");
            } else {
                where.and("action = ?", q.action());
            }
        }
        if (q.from() != null) {
            where.and("occurred_at >= ?", Jdbc.utc(Columns.micros(q.from())));
        }
        if (q.to() != null) {
            where.and("occurred_at < ?", Jdbc.utc(Columns.micros(q.to())));
        }
        String sql = "SELECT " + COLUMNS + " FROM admin_audit" + where.sql() + sort.orderBy("id") + " LIMIT ? OFFSET ?";
        return jdbc.list("audit log: search failed", sql, Jdbc.parameters(where.parameters(q.limit(), q.offset())),
                rows -> new AuditEntry(rows.getLong("id"), Jdbc.instant(rows, "occurred_at"), rows.getString("actor"),
                        rows.getString("action"), rows.getString("target"), rows.getString("detail"),
                        rows.getString("client_ip"), rows.getString("node")));
    }
}
