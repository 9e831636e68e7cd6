/**
 * The queue page of an embedded panel: this node's queued messages with attempts, next attempt and last error; one
 * message's recipients and headers; retry now, delete, bounce (a DSN to the sender, as a 5xx would cause).
 *
 * <p>Talks to: the relay's queue through {@link greyrelay.admin.queue.QueueOperations}, which admin-ui declares and the
 * relay implements (admin-ui does not depend on the relay). Trusts: nothing it shows (addresses, HELO, headers, errors
 * are remote text, escaped by the templates). Known limits: the list is this node's queue only; in a cluster each
 * node's panel shows its own. Config keys: none.
 */
package greyrelay.admin.queue;
