package greyrelay.db.verify;

import greyrelay.db.Database;
import greyrelay.db.DatabaseException;
import greyrelay.db.Jdbc;
import greyrelay.db.Paging;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Vouching's shared state (V11): the networks each sender domain's verified mail came from, and how many senders of a
 * domain were vouched for, by reason. In the database so that every node sharing PostgreSQL vouches alike. Decides
 * nothing: the relay's {@code Vouching} does. Thread-safe; failures surface as {@link DatabaseException}.
 */
public final class VouchStore {
    private static final String NETWORK_COLUMNS = "domain, network, first_seen, last_seen, verified";
    private static final String TOUCH = "UPDATE vouch_network SET last_seen = ?, verified = verified + 1"
            + " WHERE domain = ? AND network = ? AND last_seen < ?";
    private static final String INSERT_NETWORK = "INSERT INTO vouch_network (" + NETWORK_COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, 1) ON CONFLICT DO NOTHING";
    private static final String KNOWN = "SELECT COUNT(*) FROM vouch_network WHERE domain = ? AND network = ? AND last_seen >= ?";
    private static final String NETWORKS = "SELECT " + NETWORK_COLUMNS + " FROM vouch_network WHERE domain = ?"
            + " AND last_seen >= ? ORDER BY last_seen DESC, network LIMIT ?";
    private static final String TRIM_NETWORKS = "DELETE FROM vouch_network WHERE (domain, network) IN"
            + " (SELECT domain, network FROM vouch_network WHERE last_seen < ? ORDER BY last_seen LIMIT ?)";
    private static final String COUNT_VOUCH = "UPDATE vouch_tally SET vouched = vouched + 1, last_at = ?"
            + " WHERE domain = ? AND reason = ?";
    private static final String INSERT_TALLY = "INSERT INTO vouch_tally (domain, reason, vouched, first_at, last_at)"
            + " VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING";
    private static final String TALLIES = "SELECT domain, reason, vouched, first_at, last_at FROM vouch_tally"
            + " WHERE domain = ? ORDER BY reason";
    private static final String TRIM_TALLIES = "DELETE FROM vouch_tally WHERE (domain, reason) IN"
            + " (SELECT domain, reason FROM vouch_tally WHERE last_at < ? ORDER BY last_at LIMIT ?)";

    private final Jdbc jdbc;

    public VouchStore(Database database) {
        this.jdbc = new Jdbc(database.dataSource());
    }

    /**
     * Records that a verified sender of {@code domain} came from {@code network} at {@code now}. A network already
     * seen after {@code seenSince} is not written again (a busy sender costs a read-sized update, not a row per
     * message). Returns whether a row was written.
     */
    public boolean learn(String domain, String network, Instant now, Instant seenSince) {
        String d = lower(domain);
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(seenSince, "seenSince");
        return jdbc.withConnection("vouching: cannot learn " + network + " for " + d, connection -> {
            if (touch(connection, d, network, now, seenSince) > 0) return true;
            return Jdbc.update(connection, INSERT_NETWORK, s -> {
                s.setString(1, d);
                s.setString(2, network);
                s.setObject(3, Jdbc.utc(now));
                s.setObject(4, Jdbc.utc(now));
            }) > 0;
        });
    }

    private static int touch(Connection connection, String domain, String network, Instant now, Instant seenSince)
            throws SQLException {
        return Jdbc.update(connection, TOUCH, s -> {
            s.setObject(1, Jdbc.utc(now));
            s.setString(2, domain);
            s.setString(3, network);
            s.setObject(4, Jdbc.utc(seenSince));
        });
    }

    /** Whether verified mail of {@code domain} came from {@code network} at or after {@code since}. */
    public boolean isKnown(String domain, String network, Instant since) {
        return jdbc.count("vouching: cannot read networks of " + domain, KNOWN, s -> {
            s.setString(1, lower(domain));
            s.setString(2, Objects.requireNonNull(network, "network"));
            s.setObject(3, Jdbc.utc(since));
        }) > 0;
    }

    /** The domain's networks seen at or after {@code since}, most recent first (the panel's domain page). */
    public List<LearnedNetwork> networks(String domain, Instant since, int limit) {
        Paging.requireLimit(limit, 1000);
        return jdbc.list("vouching: cannot list networks of " + domain, NETWORKS, s -> {
            s.setString(1, lower(domain));
            s.setObject(2, Jdbc.utc(since));
            s.setInt(3, limit);
        }, VouchStore::network);
    }

    /** Counts one sender of {@code domain} vouched for by {@code reason} at {@code now}. */
    public void vouched(String domain, String reason, Instant now) {
        String d = lower(domain);
        Objects.requireNonNull(reason, "reason");
        jdbc.withConnection("vouching: cannot count for " + d, connection -> {
            Jdbc.Binder count = s -> {
                s.setObject(1, Jdbc.utc(now));
                s.setString(2, d);
                s.setString(3, reason);
            };
            if (Jdbc.update(connection, COUNT_VOUCH, count) > 0) return null;
            if (Jdbc.update(connection, INSERT_TALLY, s -> {
                s.setString(1, d);
                s.setString(2, reason);
                s.setObject(3, Jdbc.utc(now));
                s.setObject(4, Jdbc.utc(now));
            }) > 0) return null;
            Jdbc.update(connection, COUNT_VOUCH, count); // another node inserted it meanwhile
            return null;
        });
    }

    /** How many senders of {@code domain} were vouched for, per reason. */
    public List<VouchTally> tallies(String domain) {
        return jdbc.list("vouching: cannot read tallies of " + domain, TALLIES, s -> s.setString(1, lower(domain)),
                rows -> new VouchTally(rows.getString("domain"), rows.getString("reason"), rows.getLong("vouched"),
                        Jdbc.instant(rows, "first_at"), Jdbc.instant(rows, "last_at")));
    }

    /** Deletes at most {@code batchSize} networks not seen since before {@code cutoff}; returns how many. */
    public int deleteNetworksNotSeenSince(Instant cutoff, int batchSize) {
        return jdbc.deleteBatch("vouching: network cleanup failed", TRIM_NETWORKS, cutoff, batchSize);
    }

    /** Deletes at most {@code batchSize} tallies with no vouch since before {@code cutoff}; returns how many. */
    public int deleteTalliesIdleSince(Instant cutoff, int batchSize) {
        return jdbc.deleteBatch("vouching: tally cleanup failed", TRIM_TALLIES, cutoff, batchSize);
    }

    private static String lower(String domain) {
        return Objects.requireNonNull(domain, "domain").toLowerCase(Locale.ROOT);
    }

    private static LearnedNetwork network(ResultSet rows) throws SQLException {
        return new LearnedNetwork(rows.getString("domain"), rows.getString("network"), Jdbc.instant(rows, "first_seen"),
                Jdbc.instant(rows, "last_seen"), rows.getLong("verified"));
    }
}
