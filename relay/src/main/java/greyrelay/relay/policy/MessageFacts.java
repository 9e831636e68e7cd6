package greyrelay.relay.policy;

/**
 * What end-of-DATA checks know about the message: its size as received (after our normalisation), whether
 * it was cut off at the size limit, how many {@code Received:} headers it already carried, and whether a header line
 * or field was too long to examine (then the message was not stored and must be refused).
 */
public record MessageFacts(long size, boolean truncated, int receivedHeaders, boolean headerFieldTooLong) {}
