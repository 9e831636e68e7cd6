package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.db.Jdbc;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Leases with an expiry ({@code verification_lease}): one holder per key at a time, across every node on the database.
 * The relay holds one per address being probed and one per slot of a shared concurrency cap. A lease is taken with one
 * conditional statement that succeeds when the key is free, expired, or already the taker's (a renewal); a holder that
 * dies loses it at {@code expiresAt}. Thread-safe; failures surface as {@link DatabaseException}.
 */
public final class ProbeLeases {

    // PostgreSQL: one atomic statement. A racing insert waits on the conflicting row, then the WHERE is evaluated on
    // the committed row, so of two nodes taking one free key exactly one gets it.
    private static final String TAKE_POSTGRES = "INSERT INTO verification_lease (lease_key, holder, taken_at, expires_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder,"
            + " taken_at = EXCLUDED.taken_at, expires_at = EXCLUDED.expires_at"
            + " WHERE verification_lease.expires_at <= EXCLUDED.taken_at OR verification_lease.holder = EXCLUDED.holder";
    // H2 has no ON CONFLICT … DO UPDATE (db/README.md, "Upsert"). H2 means one node, whose relay keeps its leases in
    // memory; this path serves the store's contract and tools. Take an expired or own row, else insert a free one.
    private static final String TAKE_H2_UPDATE = "UPDATE verification_lease SET holder = ?, taken_at = ?, expires_at = ?"
            + " WHERE lease_key = ? AND (expires_at <= ? OR holder = ?)";
    private static final String TAKE_H2_INSERT = "INSERT INTO verification_lease (lease_key, holder, taken_at, expires_at)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String FIND = "SELECT lease_key, holder, taken_at, expires_at FROM verification_lease WHERE lease_key = ?";
    private static final String RELEASE = "DELETE FROM verification_lease WHERE lease_key = ? AND holder = ?";
    private static final String RELEASE_ALL = "DELETE FROM verification_lease WHERE holder = ?";
    private static final String TRIM = "DELETE FROM verification_lease WHERE lease_key IN (SELECT lease_key FROM"
            + " verification_lease WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)";

    private final Jdbc jdbc;
    private final Dialect dialect;

    public ProbeLeases(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
        this.dialect = database.dialect();
    }

    /**
     * Takes {@code key} for {@code holder} from {@code now} until {@code until}: true when the key was free, expired at
     * {@code now}, or already held by {@code holder} (then renewed); false while another holder's lease is live.
     */
    public boolean take(String key, String holder, Instant now, Instant until) {
        Lease lease = new Lease(key, holder, now, until);
        if (!until.isAfter(now)) throw new IllegalArgumentException("a lease must end after it is taken");
        String what = "leases: cannot take " + key;
        if (dialect == Dialect.POSTGRESQL) {
            return jdbc.update(what, TAKE_POSTGRES, s -> {
                s.setString(1, lease.key());
                s.setString(2, lease.holder());
                s.setObject(3, Jdbc.utc(lease.takenAt()));
                s.setObject(4, Jdbc.utc(lease.expiresAt()));
            }) == 1;
        }
        return jdbc.withConnection(what, connection -> {
            int taken = Jdbc.update(connection, TAKE_H2_UPDATE, s -> {
                s.setString(1, lease.holder());
                s.setObject(2, Jdbc.utc(lease.takenAt()));
                s.setObject(3, Jdbc.utc(lease.expiresAt()));
                s.setString(4, lease.key());
                s.setObject(5, Jdbc.utc(lease.takenAt()));
                s.setString(6, lease.holder());
            });
            if (taken == 1) return true;
            return Jdbc.update(connection, TAKE_H2_INSERT, s -> {
                s.setString(1, lease.key());
                s.setString(2, lease.holder());
                s.setObject(3, Jdbc.utc(lease.takenAt()));
                s.setObject(4, Jdbc.utc(lease.expiresAt()));
            }) == 1;
        });
    }

    /** The row for {@code key}, live or expired, if there is one. */
    public Optional<Lease> find(String key) {
        Objects.requireNonNull(key, "key");
        return jdbc.first("leases: cannot read " + key, FIND, s -> s.setString(1, key),
                rows -> new Lease(rows.getString(1), rows.getString(2), Jdbc.instant(rows, 3), Jdbc.instant(rows, 4)));
    }

    /** Gives {@code key} back if {@code holder} still holds it; whether it did. Another holder's lease is left alone. */
    public boolean release(String key, String holder) {
        return jdbc.update("leases: cannot release " + key, RELEASE, s -> {
            s.setString(1, key);
            s.setString(2, holder);
        }) == 1;
    }

    /** Gives back every lease of {@code holder} (a node shutting down); how many. */
    public int releaseAll(String holder) {
        return jdbc.update("leases: cannot release those of " + holder, RELEASE_ALL, s -> s.setString(1, holder));
    }

    /** Drops at most {@code batchSize} leases expired at {@code now}; returns how many went. */
    public int deleteExpired(Instant now, int batchSize) {
        return jdbc.deleteBatch("leases: cannot drop expired ones", TRIM, now, batchSize);
    }
}
