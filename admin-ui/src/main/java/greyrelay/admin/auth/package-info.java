/**
 * Who may use the panel. {@link greyrelay.admin.auth.AccessGate} runs before every route: session cookie or bearer
 * token, CSRF token on every state-changing request of a session. {@link greyrelay.admin.auth.LoginController} logs
 * in and out (throttled per IP by {@link greyrelay.admin.auth.LoginThrottle}); {@link greyrelay.admin.auth.Sessions}
 * keeps sessions in memory; {@link greyrelay.admin.auth.AdminAccounts} manages users (Argon2id through
 * {@link greyrelay.admin.auth.PasswordHasher}, first user on first start) and
 * {@link greyrelay.admin.auth.ApiTokenService} API tokens and the local {@link greyrelay.admin.auth.ControlToken};
 * {@link greyrelay.admin.auth.AccessController} is the Access page and {@code /api/users}, {@code /api/tokens}.
 *
 * <p>Talks to: the {@code admin_user} and {@code admin_api_token} tables (db {@code greyrelay.db.admin}), the audit log,
 * {@code <dataDir>/control.token}. Trusts: nothing until verified; compares secrets in constant time; stores only
 * hashes. Known limits: sessions and throttling are per node and lost on restart; the client IP is the TCP peer.
 * Config keys: {@code admin.password}, {@code admin.sessionTimeout}, {@code admin.loginMaxFailures},
 * {@code admin.loginWindow}, {@code admin.tls.*} (Secure cookies), {@code admin.metricsOpen}.
 */
package greyrelay.admin.auth;
