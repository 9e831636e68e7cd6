/**
 * The audit trail: {@link greyrelay.admin.audit.Auditor} records every change (who, what, when, from where) made by the
 * panel, its API or the admin CLI, naming who did it with an {@link greyrelay.admin.audit.Actor}. Every part of the
 * panel that changes something uses it, so it uses none of them: no web types here (the page that shows the trail is
 * {@code greyrelay.admin.auditlog}).
 *
 * <p>Talks to: the {@code admin_audit} table (db {@code greyrelay.db.admin.AuditLog}) and the log
 * ({@code greyrelay.audit}, one line per entry). Trusts: nothing in entry text (a failed login records what the stranger
 * typed); log lines have control characters replaced. Known limits: entries are never trimmed. Config keys: none.
 */
package greyrelay.admin.audit;
