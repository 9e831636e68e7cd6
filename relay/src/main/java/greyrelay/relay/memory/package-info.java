/**
 * {@link greyrelay.relay.memory.ClockedCache}: the short-lived memories of database reads that keep the hot path off
 * the database (passing greylist triplets, unblocked networks, verification verdicts, SPF results) are Caffeine caches
 * (a well-kept library: bounded, expiring, thread-safe) built here, so each ages by the relay's injected {@code Clock}
 * and tests move time instead of sleeping. What each may remember, and for how long, is argued where it is used.
 */
package greyrelay.relay.memory;
