package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Dialect;
import greyrelay.db.Jdbc;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The shared burst freezes of sender domains ({@code verification_freeze}): one row per domain with the end of its
 * freeze. A freeze only ever moves the end later, so two nodes freezing one domain at once keep the later end.
 * Thread-safe; failures surface as {@link DatabaseException}.
 */
public final class DomainFreezes {

    // Each database gets the statement that is atomic on it (db/README.md, "Upsert"; RateLimitOverrides does the same).
    private static final String FREEZE_POSTGRES = "INSERT INTO verification_freeze (domain, frozen_until, reason)"
            + " VALUES (?, ?, ?) ON CONFLICT (domain) DO UPDATE SET frozen_until = EXCLUDED.frozen_until,"
            + " reason = EXCLUDED.reason WHERE verification_freeze.frozen_until < EXCLUDED.frozen_until";
    private static final String FREEZE_H2 = "MERGE INTO verification_freeze t USING (VALUES (CAST(? AS VARCHAR(255)),"
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(500)))) AS s(domain, frozen_until, reason)"
            + " ON t.domain = s.domain"
            + " WHEN MATCHED AND t.frozen_until < s.frozen_until THEN UPDATE SET frozen_until = s.frozen_until, reason = s.reason"
            + " WHEN NOT MATCHED THEN INSERT (domain, frozen_until, reason) VALUES (s.domain, s.frozen_until, s.reason)";
    private static final String FIND = "SELECT domain, frozen_until, reason FROM verification_freeze WHERE domain = ?";
    private static final String TRIM = "DELETE FROM verification_freeze WHERE domain IN (SELECT domain FROM"
            + " verification_freeze WHERE frozen_until <= ? ORDER BY frozen_until LIMIT ?)";

    private final Jdbc jdbc;
    private final Dialect dialect;

    public DomainFreezes(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
        this.dialect = database.dialect();
    }

    /** The domain's freeze row (which may be over), if it was frozen and not cleaned up since. */
    public Optional<DomainFreeze> find(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        return jdbc.first("freezes: cannot read " + key, FIND, s -> s.setString(1, key),
                rows -> new DomainFreeze(rows.getString(1), Jdbc.instant(rows, 2), rows.getString(3)));
    }

    /** Freezes {@code domain} until {@code until}, unless it is frozen until later already. */
    public void freeze(String domain, Instant until, String reason) {
        DomainFreeze row = new DomainFreeze(domain, until, reason);
        jdbc.update("freezes: cannot freeze " + row.domain(), dialect == Dialect.POSTGRESQL ? FREEZE_POSTGRES : FREEZE_H2, s -> {
            s.setString(1, row.domain());
            s.setObject(2, Jdbc.utc(row.frozenUntil()));
            s.setString(3, row.reason());
        });
    }

    /** Drops at most {@code batchSize} freezes over at {@code now}; returns how many went. */
    public int deleteOver(Instant now, int batchSize) {
        return jdbc.deleteBatch("freezes: cannot drop ended ones", TRIM, now, batchSize);
    }
}
