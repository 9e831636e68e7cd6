package greyrelay.db.greylist;

import static greyrelay.db.Jdbc.instant;
import static greyrelay.db.Jdbc.utc;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Sort;
import greyrelay.db.SortColumn;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Client networks blocked by spamtrap hits (OpenBSD spamd's greytrapping), shared by all nodes. One primary-key
 * read per RCPT; a hit while blocked extends the block and counts the hit. Thread-safe; failures are
 * {@link DatabaseException}s. Time is passed in.
 */
public final class TrapBlockStore {
    private static final String COLUMNS = "client_network, blocked_at, expires_at, hits, client_ip, sender, trap, reason";
    private static final String ACTIVE = "SELECT " + COLUMNS + " FROM greylist_trap_block WHERE client_network = ?"
            + " AND expires_at > ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM greylist_trap_block WHERE expires_at > ?";
    // an old block not yet cleaned up starts over: new blocked_at, hits from 1; SET expressions see the old row
    private static final String EXTEND = "UPDATE greylist_trap_block SET"
            + " blocked_at = CASE WHEN expires_at <= ? THEN ? ELSE blocked_at END,"
            + " hits = CASE WHEN expires_at <= ? THEN 1 ELSE hits + 1 END,"
            + " expires_at = CASE WHEN expires_at > ? THEN expires_at ELSE ? END,"
            + " client_ip = ?, sender = ?, trap = ?, reason = ? WHERE client_network = ?";
    private static final String INSERT = "INSERT INTO greylist_trap_block (" + COLUMNS + ") VALUES (?, ?, ?, 1, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING";
    private static final String UNBLOCK = "DELETE FROM greylist_trap_block WHERE client_network = ?";
    private static final String DELETE_EXPIRED = "DELETE FROM greylist_trap_block WHERE client_network IN (SELECT"
            + " client_network FROM greylist_trap_block WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";

    private final Jdbc jdbc;

    public TrapBlockStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /** The block on {@code network} if it is still in force at {@code now}. */
    public Optional<TrapBlock> active(String network, Instant now) {
        return jdbc.first("spamtrap: cannot read block", ACTIVE, s -> {
            s.setString(1, network);
            s.setObject(2, utc(now));
        }, TrapBlockStore::read);
    }

    /** Blocks in force at {@code now}, the longest-lasting first (admin panel). */
    public List<TrapBlock> active(Instant now, int limit) {
        return active(now, limit, 0);
    }

    /** One page of the blocks in force at {@code now}, the longest-lasting first, through the expires_at index. */
    public List<TrapBlock> active(Instant now, int limit, int offset) {
        return active(now, limit, offset, Sort.desc(Column.UNTIL));
    }

    /** The columns the list of blocks may be sorted by. */
    public enum Column implements SortColumn {
        NETWORK(Spec.of("client_network")), SINCE(Spec.of("blocked_at")), UNTIL(Spec.of("expires_at")),
        HITS(Spec.of("hits")), REASON(Spec.of("reason"));

        private final Spec spec;

        Column(Spec spec) {
            this.spec = spec;
        }

        @Override
        public Spec spec() {
            return spec;
        }
    }

    /** One page of the blocks in force at {@code now} in {@code sort}'s order (ties by network). */
    public List<TrapBlock> active(Instant now, int limit, int offset, Sort<Column> sort) {
        return jdbc.list("spamtrap: cannot list blocks", LIST + sort.orderBy("client_network") + " LIMIT ? OFFSET ?", s -> {
            s.setObject(1, utc(now));
            s.setInt(2, limit);
            s.setInt(3, offset);
        }, TrapBlockStore::read);
    }

    /**
     * Records a trap hit at {@code hit.blockedAt()}: blocks the network until {@code hit.expiresAt()}, or, when it is
     * already blocked, counts the hit and keeps the later expiry. Returns the block as stored.
     */
    public TrapBlock block(TrapBlock hit) {
        Objects.requireNonNull(hit, "hit");
        Instant now = hit.blockedAt();
        jdbc.withConnection("spamtrap: cannot block " + hit.network(), c -> {
            for (int round = 0; round < 2; round++) {
                int extended = Jdbc.update(c, EXTEND, s -> {
                    s.setObject(1, utc(now));
                    s.setObject(2, utc(now));
                    s.setObject(3, utc(now));
                    s.setObject(4, utc(hit.expiresAt()));
                    s.setObject(5, utc(hit.expiresAt()));
                    s.setString(6, hit.clientIp());
                    s.setString(7, hit.sender());
                    s.setString(8, hit.trap());
                    s.setString(9, hit.reason());
                    s.setString(10, hit.network());
                });
                if (extended == 1) break;
                try {
                    int inserted = Jdbc.update(c, INSERT, s -> {
                        s.setString(1, hit.network());
                        s.setObject(2, utc(now));
                        s.setObject(3, utc(hit.expiresAt()));
                        s.setString(4, hit.clientIp());
                        s.setString(5, hit.sender());
                        s.setString(6, hit.trap());
                        s.setString(7, hit.reason());
                    });
                    if (inserted == 1) break;
                } catch (SQLException e) {
                    if (!Jdbc.isUniqueViolation(e)) throw e;
                }
            }
            return null;
        });
        return active(hit.network(), now).orElseThrow(() -> new DatabaseException("spamtrap: block of " + hit.network()
                + " not found after writing it"));
    }

    /** Lifts a block (admin). */
    public boolean unblock(String network) {
        return jdbc.update("spamtrap: cannot unblock " + network, UNBLOCK, s -> s.setString(1, network)) > 0;
    }

    /** Drops at most {@code batchSize} blocks that ended at or before {@code now}; returns how many. */
    public int deleteExpired(Instant now, int batchSize) {
        return jdbc.deleteBatch("spamtrap: cannot drop expired blocks", DELETE_EXPIRED, now, batchSize);
    }

    private static TrapBlock read(ResultSet rs) throws SQLException {
        return new TrapBlock(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getInt(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8));
    }
}
