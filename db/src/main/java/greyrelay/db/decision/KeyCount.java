package greyrelay.db.decision;

/** A value (client IP, sender domain, …) and how many decisions had it; for the dashboard's top lists. */
public record KeyCount(String key, long count) {}
