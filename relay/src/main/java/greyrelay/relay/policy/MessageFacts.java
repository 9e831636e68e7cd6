package greyrelay.relay.policy;

/**
 * What end-of-DATA checks know about the message: its size as received (after our normalisation), whether
 * it was cut off at the size limit, and how many {@code Received:} headers it already carried.
 */
public record MessageFacts(long size, boolean truncated, int receivedHeaders) {}
