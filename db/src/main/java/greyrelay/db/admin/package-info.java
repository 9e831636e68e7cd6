/**
 * The admin panel's own state: panel users ({@link greyrelay.db.admin.AdminUsers}), the audit log of every change
 * ({@link greyrelay.db.admin.AuditLog}), API tokens ({@link greyrelay.db.admin.ApiTokens}), browser sessions
 * ({@link greyrelay.db.admin.AdminSessions}, by the SHA-256 of the cookie) and failed logins for throttling
 * ({@link greyrelay.db.admin.LoginFailures}), shared by every node of the database. Migrations {@code V5__admin.sql},
 * {@code V7__admin_sessions.sql}.
 *
 * <p>Talks to: the database only. Writers and readers: admin-ui (panel, API) and the relay's {@code admin-user} /
 * {@code admin-token} CLI. Trusts: nothing in the text it stores (a failed login's username is typed by a stranger);
 * audit text is cut to its column length and NUL replaced, and readers escape it. It never sees a password or a token
 * in clear: admin-ui hashes passwords with Argon2id, tokens and session ids with SHA-256 before they get here.
 *
 * <p>Known limits: the audit log is append-only and never trimmed (a few rows per admin action); expired sessions and old
 * failures are deleted in bounded batches by admin-ui. Usernames and
 * token names are compared exactly; admin-ui lower-cases usernames. Config keys: none.
 */
package greyrelay.db.admin;
