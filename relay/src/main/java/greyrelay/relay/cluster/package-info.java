/**
 * This node among the nodes sharing one database: its name ({@code node.name}, default {@code smtp.hostname}, written
 * on decisions, probe history and queued messages by their writers) and its heartbeat
 * ({@link greyrelay.relay.cluster.Heartbeat}, every 15 s on the relay's scheduler, into {@code node_heartbeat}), which
 * the admin panel's Cluster page and {@code /api/cluster} list.
 *
 * <p>Talks to: the database through {@code greyrelay.db.node.NodeHeartbeats}. Trusts: nothing from outside; the row
 * holds this node's own figures. Must not: hold up the scheduler or anything else when the database is away (a
 * failed beat is logged once and retried at the next). Config keys: {@code node.name}.
 */
package greyrelay.relay.cluster;
