/**
 * The command line, the process's face: {@link greyrelay.relay.cli.Main} (the {@code greyrelay} root command, the
 * jar's entry point) and one picocli class per command, registered in {@code Main}'s {@code subcommands}: {@code run},
 * {@code demo}, {@code config}, {@code whitelist}, {@code admin}, {@code admin-user}, {@code admin-token},
 * {@code queue}, {@code health}, {@code greylist}, {@code spamtrap}, {@code decisions}, {@code check}, {@code verify},
 * {@code stats}, {@code reload}. {@code check} is a dry run of the check table ({@code POST /api/decisions/check}, the
 * relay's {@code checks.DryRun}); with no relay running, the API this process serves builds the table on the database
 * at the first dry run.
 * Every command answers {@code --help} (the root's standard help options are inherited). Commands that print a result
 * (all but {@code run}, {@code demo} and {@code admin}) log to stderr, so their stdout can be piped.
 *
 * <p>{@link greyrelay.relay.cli.ControlApi}: the state commands ({@link greyrelay.relay.cli.ApiCommand}, the queue,
 * {@code admin-user}, {@code admin-token} and {@code whitelist}) call the running relay's JSON API at {@code <dataDir>/control.url} with {@code <dataDir>/control.token} (the panel's
 * port, or the loopback token-only control listener when {@code admin.enabled: false}); with no relay answering, the
 * command serves the same API itself on the database for its own duration. One implementation per command, and the
 * relay's H2 file is never opened twice. Every call sends the OS user ({@code X-Greyrelay-Cli-User}), so the audit
 * log says {@code cli:<user>} either way. {@code queue} needs the running relay (the queue lives in its process).
 *
 * <p>Nothing here is global: {@code Main} is built with the environment the process started with, and a command reads
 * it from its parent command ({@code @ParentCommand}) and loads the configuration with {@link
 * greyrelay.relay.cli.ConfigOption} ({@code --config FILE}, else {@code $GREYRELAY_CONFIG}, then {@code GREYRELAY_*};
 * the rule itself is {@code ConfigLoader.fromEnvironment}). This package sits on top: it uses the relay, its config and
 * its admin wiring, and nothing below imports it.
 *
 * <p>{@link greyrelay.relay.cli.WhitelistCommand}: {@code greyrelay whitelist import FILE [--type clients|recipients|senders]
 * [--keep] [--config FILE]} reads a postgrey-format whitelist file (all or nothing: any bad line imports nothing and
 * exits 2) and sends it to the API (the running relay applies it at once; other nodes on PostgreSQL pick the change up
 * within {@code greylist.whitelistRefresh}); {@code list}, {@code add}, {@code delete} and {@code export}
 * ({@link greyrelay.relay.cli.WhitelistEdits}) go through {@link greyrelay.relay.cli.ControlApi} too.
 *
 * <p>{@link greyrelay.relay.cli.AdminUserCommand} ({@code greyrelay admin-user add|passwd|delete|list}) and
 * {@link greyrelay.relay.cli.AdminTokenCommand} ({@code greyrelay admin-token create|list|revoke}) manage the admin
 * panel's users and API tokens through the API (admin-ui's {@code AdminAccounts} and {@code ApiTokenService}), so the panel's
 * rules (Argon2id, name syntax, never the last user) and its audit log apply ({@code cli:<os user>}).
 * {@link greyrelay.relay.cli.AdminCommand} ({@code greyrelay admin --config FILE}) runs the panel alone against the
 * database the configuration names (shared state only, no queue page).
 *
 * <p>Talks to: the running relay's admin API, else the database named by the configuration, opened as the relay opens
 * it (behind the same API, served in this process). Trusts: the operator at the terminal. Config keys: {@code dataDir}, {@code database.*}, {@code admin.*}, {@code node.name} (the
 * node name in the audit log), {@code greylist.whitelistRefresh} (for the message). Exit status: 0 done, 1 failure,
 * 2 bad usage (or a bad whitelist file).
 */
package greyrelay.relay.cli;
