package greyrelay.admin.web;

/**
 * One page of a long list: {@code limit} rows from {@code offset}. Lists fetch {@code limit + 1} rows to learn whether
 * an older page exists without counting the table.
 */
public record Paging(int limit, int offset) {
    public static final int DEFAULT_LIMIT = 25;
    public static final int MAX_LIMIT = 500;

    public static Paging from(Form form) {
        return new Paging(form.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT), form.integer("offset", 0, 10_000_000, 0));
    }

    public int previousOffset() {
        return Math.max(0, offset - limit);
    }

    public int nextOffset() {
        return offset + limit;
    }

    public boolean hasPrevious() {
        return offset > 0;
    }
}
