/**
 * Command-line tools around the admin panel: {@code greyrelay admin-user add|passwd|delete|list},
 * {@code greyrelay admin-token create|list|revoke} and {@code greyrelay admin} (the panel alone against the shared
 * database). Registered in {@link greyrelay.relay.Main}.
 *
 * <p>Talks to: the database the configuration names (opened as the relay opens it), through admin-ui's
 * {@code AdminAccounts} and {@code ApiTokenService}, so the panel's rules (Argon2id, name syntax, never the last user)
 * and its audit log apply. Trusts: the operator at the terminal. Known limits: the embedded H2 file belongs to one
 * process: with it, stop the relay before using {@code admin-user}/{@code admin-token}. Config keys: {@code dataDir},
 * {@code database.*}, {@code admin.*}, {@code smtp.hostname} (the node name in the audit log).
 */
package greyrelay.relay.cli;
