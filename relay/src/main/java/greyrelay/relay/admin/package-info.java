/**
 * The relay's side of the admin panel: what the panel is told about this relay ({@link
 * greyrelay.relay.admin.AdminWiring}: its {@code AdminSettings} and the typed {@code RelayPolicy}, the same for the
 * embedded panel and {@code greyrelay admin}), and the adapters through which the embedded panel acts on this node:
 * {@link greyrelay.relay.admin.MailQueueOperations} (the queue),
 * {@link greyrelay.relay.admin.VerificationPanelOperations} ("verify again now", "forget") and
 * {@link greyrelay.relay.admin.DryRunOperations} (the check table's dry run, {@code greyrelay check}).
 *
 * <p>The only relay package that implements admin-ui's interfaces: {@code queue} and {@code verify} offer plain methods
 * and import no admin-ui type; this package turns their answers into the panel's. Trusts: nothing the panel passes
 * (queue ids and addresses are operator input; what is not a queue id is "not found", what is not a plain
 * {@code local@domain} is never probed). Config keys: {@code admin.*} (settings), and for the policy
 * {@code greylist.*}, {@code rateLimits.*}, {@code verification.cache.profileTtl}, {@code database.url}.
 */
package greyrelay.relay.admin;
