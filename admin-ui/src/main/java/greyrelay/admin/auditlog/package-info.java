/**
 * The audit log page, read-only: what {@link greyrelay.admin.audit.Auditor} recorded, searched by text, action prefix
 * and time, paged ({@code /audit}, {@code GET /api/audit}, {@code openapi/audit.json}).
 *
 * <p>Talks to: the {@code admin_audit} table (db {@code greyrelay.db.admin.AuditLog}). Trusts: nothing in entry text (a
 * failed login records what the stranger typed): templates escape it. Config keys: none.
 */
package greyrelay.admin.auditlog;
