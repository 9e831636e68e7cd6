package greyrelay.db;

/**
 * A column a list may be sorted by. Each store declares its sortable columns as an enum implementing this, so the
 * {@code ORDER BY} text always comes from code, never from a request.
 */
public interface SortColumn {
    /** The SQL expression to order by (a column name). */
    String sql();

    /** Whether the column may hold NULL: such rows then come last in either direction, on H2 and PostgreSQL alike. */
    boolean nullable();
}
