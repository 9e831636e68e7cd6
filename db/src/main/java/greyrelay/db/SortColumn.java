package greyrelay.db;

/**
 * A column a list may be sorted by. Each store declares its sortable columns as an enum implementing this, so the
 * {@code ORDER BY} text always comes from code, never from a request.
 */
public interface SortColumn {
    /**
     * What to order by.
     *
     * @param sql      the SQL expression (a column name)
     * @param nullable whether the column may hold NULL: such rows then come last in either direction, on H2 and
     *                 PostgreSQL alike
     */
    record Spec(String sql, boolean nullable) {
        public static Spec of(String sql) {
            return new Spec(sql, false);
        }

        public static Spec nullable(String sql) {
            return new Spec(sql, true);
        }
    }

    Spec spec();

    default String sql() {
        return spec().sql();
    }

    default boolean nullable() {
        return spec().nullable();
    }
}
