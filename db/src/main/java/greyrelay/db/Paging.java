package greyrelay.db;

/**
 * The argument checks of paged reads ({@code LIMIT ? OFFSET ?}) and bounded deletes, with the messages the stores
 * and query records have always given.
 */
public final class Paging {

    private Paging() {
    }

    /** A page: {@code limit} in {@code 1..maxLimit}, {@code offset} not negative. */
    public static void requirePage(int limit, int maxLimit, int offset) {
        requireLimit(limit, maxLimit);
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }

    /** {@code limit} in {@code 1..maxLimit}. */
    public static void requireLimit(int limit, int maxLimit) {
        if (limit < 1 || limit > maxLimit) {
            throw new IllegalArgumentException("limit must be 1.." + maxLimit + ", got " + limit);
        }
    }

    /** How many rows one bounded delete may remove: at least 1. */
    public static void requireBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }
}
