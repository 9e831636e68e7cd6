package greyrelay.db;

import java.util.Objects;

/**
 * The order of a list: one of a store's {@link SortColumn}s, ascending or descending. Rows equal in that column fall
 * back to the store's key in the same direction, so paging is stable. Empty values (NULL) of a nullable column come
 * last either way; a column that cannot be NULL gets no NULLS clause, so PostgreSQL may still read it from an index
 * backwards.
 */
public record Sort<C extends Enum<C> & SortColumn>(C column, boolean ascending) {
    public Sort {
        Objects.requireNonNull(column, "column");
    }

    public static <C extends Enum<C> & SortColumn> Sort<C> asc(C column) {
        return new Sort<>(column, true);
    }

    public static <C extends Enum<C> & SortColumn> Sort<C> desc(C column) {
        return new Sort<>(column, false);
    }

    /** {@code " ORDER BY <column> ASC, <key> ASC"}; {@code key} is the store's own (code, not input). */
    public String orderBy(String key) {
        String dir = ascending ? " ASC" : " DESC";
        String first = " ORDER BY " + column.sql() + dir + (column.nullable() ? " NULLS LAST" : "");
        return column.sql().equals(key) ? first : first + ", " + key + dir;
    }
}
