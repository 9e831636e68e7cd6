/**
 * The Cluster page, read-only: every node that shares this database, from its heartbeat row, up or down
 * ({@code /cluster}, {@code GET /api/cluster}, {@code openapi/cluster.json}). A node not seen for a minute
 * ({@code greyrelay.db.node.NodeHeartbeat.DOWN_AFTER}) is shown as down; the panel's own node is marked.
 *
 * <p>Talks to: the {@code node_heartbeat} table (db {@code greyrelay.db.node.NodeHeartbeats}). Trusts: nothing in the
 * rows for display (names and versions are escaped by the template). Config keys: none (the relay writes
 * {@code node.name}).
 */
package greyrelay.admin.cluster;
