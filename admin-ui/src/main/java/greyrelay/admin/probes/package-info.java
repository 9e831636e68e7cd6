/**
 * The verification pages: the probe history (callback probes of senders, recipient probes of our downstream, and
 * answers from the cache) searched by address, domain, outcome, kind, source and time, sorted and paged; one probe
 * with its whole SMTP transcript, MX host and address, outcome, duration, the address's cached verdict now (refresh
 * and expiry) and the domain's learned profile; the domain profiles, searchable (a domain's page with its burst freeze
 * from {@link greyrelay.admin.probes.VerificationOperations#freeze}, its learned sending networks and vouched senders,
 * {@link greyrelay.admin.probes.VouchingView}); and the actions "verify again now",
 * "forget cached result" and "forget profile", each audited ({@code verification.reverify}, {@code verification.forget},
 * {@code verification.profile.forget}). Pages under {@code /verification}, JSON under {@code /api/verification}
 * ({@code openapi/verification.json}).
 *
 * <p><b>Talks to.</b> The shared database through {@code greyrelay.db.verify} (ProbeLog, VerificationCache,
 * DomainProfiles, VouchStore); the relay through {@link greyrelay.admin.probes.VerificationOperations}, which admin-ui declares and
 * the relay implements (admin-ui does not depend on the relay). Embedded, the relay passes its operations
 * ({@code AdminApp.builder(…).verification(ops)}); a panel without them (running alone) forgets directly in the shared
 * database and hides "verify again now" (its routes answer 409).
 *
 * <p><b>Trusts.</b> Nothing it shows. Transcripts, reply texts and MX host names came from strangers' servers and DNS:
 * the templates escape them, transcripts are shown as preformatted text with control and Unicode direction characters
 * spelled out ({@link greyrelay.admin.probes.Visible}). Addresses typed by an administrator are checked for shape only;
 * the relay decides what may be probed (a plain ASCII {@code local@domain}).
 *
 * <p><b>Known limits.</b> Address search is a substring scan (narrow it by domain or time on a big history). The outcome
 * names offered in the search mirror the relay's ({@link greyrelay.admin.probes.OutcomeName}); a newer relay's name
 * is shown but cannot be chosen. The profile lifetime ({@code verification.cache.profileTtl}) comes with the relay's policy
 * ({@link greyrelay.admin.RelayPolicy}); a panel built without it shows no expiry. "Forget" removes the stored verdict; a
 * probe of that address still running stores its result when it ends. Notices after an action travel in the URL
 * ({@code ?notice=…}, fixed texts only).
 *
 * <p><b>Config keys.</b> None read directly; {@code verification.cache.profileTtl} through
 * {@link greyrelay.admin.RelayPolicy.Verification}.
 */
package greyrelay.admin.probes;
