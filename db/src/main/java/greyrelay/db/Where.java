package greyrelay.db;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@code WHERE} clause built from optional filters: each {@link #and} adds one condition with the values of its
 * {@code ?} placeholders, and all conditions must hold. Conditions are SQL text written by the store (column names
 * from its own constants); values from outside are only ever bound, never spliced. Not thread-safe: build, use, drop.
 */
public final class Where {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> parameters = new ArrayList<>();

    /** Adds a condition and the values of its placeholders, in order. */
    public Where and(String condition, Object... values) {
        conditions.add(condition);
        Collections.addAll(parameters, values);
        return this;
    }

    /** {@code ""} without conditions, else {@code " WHERE a AND b"}, ready to append to {@code SELECT … FROM t}. */
    public String sql() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** The values of {@link #sql()}'s placeholders, followed by {@code more} (typically LIMIT and OFFSET). */
    public List<Object> parameters(Object... more) {
        List<Object> all = new ArrayList<>(parameters);
        Collections.addAll(all, more);
        return all;
    }
}
