package greyrelay.db.decision;

/**
 * How many enforced decisions one check made with one outcome in one time bucket ({@link DecisionLog#histogram}).
 *
 * @param bucket 0 for the first bucket after {@code from}, 1 for the next, …
 */
public record BucketCount(int bucket, Outcome outcome, String checkName, long count) {}
