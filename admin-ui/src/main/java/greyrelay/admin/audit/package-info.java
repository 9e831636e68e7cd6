/**
 * The audit log: {@link greyrelay.admin.audit.Auditor} records every change (who, what, when, from where) made by the
 * panel, its API or the admin CLI; {@link greyrelay.admin.audit.AuditController} shows it ({@code /audit},
 * {@code GET /api/audit}).
 *
 * <p>Talks to: the {@code admin_audit} table (db {@code greyrelay.db.admin.AuditLog}) and the log
 * ({@code greyrelay.audit}, one line per entry). Trusts: nothing in entry text (a failed login records what the stranger
 * typed); templates escape it, log lines have control characters replaced. Known limits: entries are never trimmed.
 * Config keys: none.
 */
package greyrelay.admin.audit;
