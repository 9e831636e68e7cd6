/**
 * The command line, the process's face: {@link greyrelay.relay.cli.Main} (the {@code greyrelay} root command, the
 * jar's entry point) and one picocli class per command, registered in {@code Main}'s {@code subcommands}: {@code run},
 * {@code demo}, {@code config}, {@code whitelist}, {@code admin}, {@code admin-user}, {@code admin-token},
 * {@code queue}, {@code health}, {@code greylist}, {@code spamtrap}, {@code decisions}, {@code verify}, {@code stats}.
 * Every command answers {@code --help} (the root's standard help options are inherited). Commands that print a result
 * (all but {@code run}, {@code demo} and {@code admin}) log to stderr, so their stdout can be piped.
 *
 * <p>{@link greyrelay.relay.cli.ControlApi}: the state commands ({@link greyrelay.relay.cli.ApiCommand} and the queue)
 * call the running relay's JSON API at {@code <dataDir>/control.url} with {@code <dataDir>/control.token} (the panel's
 * port, or the loopback token-only control listener when {@code admin.enabled: false}); with no relay answering, the
 * command serves the same API itself on the database for its own duration. One implementation per command, and the
 * relay's H2 file is never opened twice.
 *
 * <p>Nothing here is global: {@code Main} is built with the environment the process started with, and a command reads
 * it from its parent command ({@code @ParentCommand}) and loads the configuration with {@link
 * greyrelay.relay.cli.ConfigOption} ({@code --config FILE}, else {@code $GREYRELAY_CONFIG}, then {@code GREYRELAY_*};
 * the rule itself is {@code ConfigLoader.fromEnvironment}). This package sits on top: it uses the relay, its config and
 * its admin wiring, and nothing below imports it.
 *
 * <p>{@link greyrelay.relay.cli.WhitelistCommand}: {@code greyrelay whitelist import FILE [--type clients|recipients|senders]
 * [--keep] [--config FILE]} reads a postgrey-format whitelist file (all or nothing: any bad line imports nothing and
 * exits 2) into the database (directly; with PostgreSQL the running nodes pick the change up within
 * {@code greylist.whitelistRefresh}); {@code list}, {@code add}, {@code delete} and {@code export}
 * ({@link greyrelay.relay.cli.WhitelistEdits}) go through {@link greyrelay.relay.cli.ControlApi}.
 *
 * <p>{@link greyrelay.relay.cli.AdminUserCommand} ({@code greyrelay admin-user add|passwd|delete|list}) and
 * {@link greyrelay.relay.cli.AdminTokenCommand} ({@code greyrelay admin-token create|list|revoke}) manage the admin
 * panel's users and API tokens through admin-ui's {@code AdminAccounts} and {@code ApiTokenService}, so the panel's
 * rules (Argon2id, name syntax, never the last user) and its audit log apply ({@code cli:<os user>}).
 * {@link greyrelay.relay.cli.AdminCommand} ({@code greyrelay admin --config FILE}) runs the panel alone against the
 * database the configuration names (shared state only, no queue page).
 *
 * <p>Talks to: the database named by the configuration, opened as the relay opens it. Trusts: the operator at the
 * terminal. Known limit: the embedded H2 file belongs to one process, so with H2 the relay must be stopped first (or
 * use the admin panel). Config keys: {@code dataDir}, {@code database.*}, {@code admin.*}, {@code smtp.hostname} (the
 * node name in the audit log), {@code greylist.whitelistRefresh} (for the message). Exit status: 0 done, 1 failure,
 * 2 bad usage (or a bad whitelist file).
 */
package greyrelay.relay.cli;
