package greyrelay.admin.health;

import java.util.Objects;

/** One condition of {@code /health/live} or {@code /health/ready}: its name, whether it holds, and what was seen. */
public record Condition(String name, boolean ok, String detail) {
    public Condition {
        Objects.requireNonNull(name, "name");
        detail = detail == null ? "" : detail;
    }

    public static boolean all(java.util.List<Condition> conditions) {
        return conditions.stream().allMatch(Condition::ok);
    }
}
