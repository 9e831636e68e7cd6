/**
 * The nodes of a fleet sharing one database: one heartbeat row per node ({@code node_heartbeat}, {@code V9}), written
 * every ~15 s by the relay and listed by the admin panel's Cluster page and {@code /api/cluster}.
 *
 * <p>{@link greyrelay.db.node.NodeHeartbeats} replaces a node's row (portable update-then-insert) and lists them;
 * {@link greyrelay.db.node.NodeHeartbeat} is one row and holds the one "down" rule: not seen for a minute
 * ({@code DOWN_AFTER}). Trust: rows are written by our own nodes; the name comes from {@code node.name} and is still
 * escaped by the panel. Time is passed in, never read here. Config keys: none (the relay's {@code node.name} names the row).
 */
package greyrelay.db.node;
