package greyrelay.db.verify;

/** How a probe-history search is sorted; ties always fall back to newest first (then by id), so paging is stable. */
public enum ProbeOrder {
    /** Newest first: the default. */
    NEWEST("probed_at DESC, id DESC"),
    /** Oldest first. */
    OLDEST("probed_at ASC, id ASC"),
    /** Longest duration first: which MX hosts make probes slow. */
    SLOWEST("duration_ms DESC, probed_at DESC, id DESC"),
    /** By address, A to Z. */
    ADDRESS("address ASC, probed_at DESC, id DESC");

    final String sql;

    ProbeOrder(String sql) {
        this.sql = sql;
    }
}
