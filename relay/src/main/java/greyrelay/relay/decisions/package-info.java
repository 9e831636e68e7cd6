/**
 * The decision log's writer (batched, bounded, off the SMTP threads) and its retention ({@code decisionLog.retention},
 * trimmed hourly in small batches by the relay's scheduler).
 */
package greyrelay.relay.decisions;
