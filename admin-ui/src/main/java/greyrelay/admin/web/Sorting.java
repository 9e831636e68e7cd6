package greyrelay.admin.web;

import java.util.Locale;

/**
 * A list's order as the request asks for it: {@code ?sort=column&dir=asc|desc}, the column one of the page's enum
 * (a store's {@code Column}, checked like any other choice: an unknown name is a field error, never SQL), combined
 * with the page's filters and paging. Column headers are links ({@code tags/sortable}): the sorted one flips the
 * direction, another starts ascending; a new order starts at the first page.
 *
 * @param defaultColumn    the order without {@code sort}, left out of links so a plain list keeps a plain URL
 * @param defaultAscending the direction without {@code dir}
 * @param problem          what was wrong with {@code sort} or {@code dir}, for the page; null when nothing
 */
public record Sorting<C extends Enum<C>>(C column, boolean ascending, C defaultColumn, boolean defaultAscending, String problem) {

    /** Reads {@code sort} and {@code dir}; a problem is recorded in {@code form} and the default order is used. */
    public static <C extends Enum<C>> Sorting<C> from(Form form, Class<C> type, C defaultColumn, boolean defaultAscending) {
        C column = form.choice("sort", type);
        if (column == null) column = defaultColumn;
        String dir = form.text("dir", 8);
        boolean ascending = column == defaultColumn ? defaultAscending : true;
        if ("asc".equalsIgnoreCase(dir)) ascending = true;
        else if ("desc".equalsIgnoreCase(dir)) ascending = false;
        else if (dir != null) form.error("dir", "asc or desc");
        String problem = form.errorFor("sort") == null ? form.errorFor("dir")
                : form.errorFor("dir") == null ? form.errorFor("sort") : form.errorFor("sort") + "; dir: " + form.errorFor("dir");
        return new Sorting<>(column, ascending, defaultColumn, defaultAscending, problem == null ? null : "sort: " + problem);
    }

    /** {@code sort=…&dir=…} for this order, "" for the default one: appended to pager links. */
    public String query() {
        if (column == defaultColumn && ascending == defaultAscending) return "";
        return "sort=" + name(column) + "&dir=" + (ascending ? "asc" : "desc");
    }

    /** {@code filters} and this order, joined: the query string a pager keeps. */
    public String with(String filters) {
        String q = query();
        if (q.isEmpty()) return filters;
        return filters.isEmpty() ? q : filters + "&" + q;
    }

    /** The link of a column's header: the same filters, that column, the other direction when it is the sorted one. */
    public String href(String base, String filters, String columnName) {
        boolean current = name(column).equals(columnName);
        boolean asc = current ? !ascending : true;
        String q = (filters.isEmpty() ? "" : filters + "&") + "sort=" + columnName + "&dir=" + (asc ? "asc" : "desc");
        return base + "?" + q;
    }

    /** {@code ascending} or {@code descending} for the sorted column's header, null (no attribute) for the others. */
    public String aria(String columnName) {
        if (!name(column).equals(columnName)) return null;
        return ascending ? "ascending" : "descending";
    }

    /** What a click on the header does, for its title. */
    public String hint(String columnName) {
        if (!name(column).equals(columnName)) return "sort by this column";
        return ascending ? "sorted ascending; sort descending" : "sorted descending; sort ascending";
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
