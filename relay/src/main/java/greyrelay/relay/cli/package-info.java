/**
 * Command-line subcommands beyond {@code run}, {@code demo} and {@code config} (which live in {@code Main}), one
 * picocli class per command, registered in {@code Main}'s {@code subcommands}.
 *
 * <p>{@link greyrelay.relay.cli.WhitelistCommand}: {@code greyrelay whitelist import FILE [--type clients|recipients|senders]
 * [--keep] [--config FILE]} reads a postgrey-format whitelist file (all or nothing: any bad line imports nothing and
 * exits 2) into the database; {@code greyrelay whitelist list} prints the entries. Talks to: the database named by the
 * configuration, opened directly. Known limit: the embedded H2 file belongs to one process, so with H2 the relay
 * must be stopped first (or use the admin panel); with PostgreSQL the running nodes pick the change up within
 * {@code greylist.whitelistRefresh}. Config keys: {@code dataDir}, {@code database.*}, {@code greylist.whitelistRefresh}
 * (for the message). Exit status: 0 done, 1 failure (file or database), 2 bad usage or bad file.
 */
package greyrelay.relay.cli;
