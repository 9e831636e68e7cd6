/**
 * The admin panel's own state: panel users ({@link greyrelay.db.admin.AdminUsers}), the audit log of every change
 * ({@link greyrelay.db.admin.AuditLog}) and API tokens ({@link greyrelay.db.admin.ApiTokens}). Migration
 * {@code V5__admin.sql}.
 *
 * <p>Talks to: the database only. Writers and readers: admin-ui (panel, API) and the relay's {@code admin-user} /
 * {@code admin-token} CLI. Trusts: nothing in the text it stores (a failed login's username is typed by a stranger);
 * audit text is cut to its column length and NUL replaced, and readers escape it. It never sees a password or a token
 * in clear: admin-ui hashes passwords with Argon2id and tokens with SHA-256 before they get here.
 *
 * <p>Known limits: the audit log is append-only and never trimmed (a few rows per admin action). Usernames and
 * token names are compared exactly; admin-ui lower-cases usernames. Config keys: none.
 */
package greyrelay.db.admin;
