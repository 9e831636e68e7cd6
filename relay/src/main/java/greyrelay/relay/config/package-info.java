/**
 * The configuration: one record per YAML section ({@link greyrelay.relay.config.SmtpConfig},
 * {@link greyrelay.relay.config.GreylistConfig}, …) under {@link greyrelay.relay.config.RelayConfig}, each with its
 * defaults in {@code defaults()} and its checks in its constructor, so a {@code RelayConfig} that exists is valid.
 *
 * <p>{@link greyrelay.relay.config.ConfigLoader} builds one from three layers: the defaults, then one YAML file
 * ({@code --config FILE}, else {@code $GREYRELAY_CONFIG}), then the {@code GREYRELAY_*} variables of the environment map
 * it is given ({@code fromEnvironment(file, env)}); {@code ConfigSchema} reads every key path, its kind and its
 * variable name off the record tree, the one schema for the file, the environment and the dumps.
 * {@link greyrelay.relay.config.ConfigDump} prints the effective configuration with secrets masked and what differs
 * from the defaults ({@code greyrelay config}, the settings page). {@link greyrelay.relay.config.Durations} and
 * {@link greyrelay.relay.config.DataSize} read {@code 1h30m} and {@code 25MB}.
 *
 * <p>Talks to: the file it is pointed at, nothing else. Trusts: the operator for intent, not for syntax: an unknown key
 * or variable, a wrong type or an impossible value is one {@link greyrelay.relay.config.ConfigException} naming the key
 * and what was expected, which the CLI prints on one line and exits with status 2.
 *
 * <p>Must not: read the process environment itself (the CLI's {@code Main} passes it in; no static state), look
 * anything up in DNS (the default host name is read from the kernel; bind addresses must be literals), or know a
 * feature: features read their own section record. Nothing else parses YAML or reads {@code GREYRELAY_*}.
 *
 * <p>Known limits: settings are read at start; a change needs a restart. Lists and maps in environment variables are
 * comma-separated, so an item cannot contain a comma there (use the file).
 *
 * <p>Config keys: all of them; README.md's configuration reference lists every key (a test checks it), and
 * docs/configuration.md describes the contract.
 */
package greyrelay.relay.config;
