/**
 * The settings page: the effective configuration, read-only, one row per key, grouped by section; the keys that differ
 * from their default listed first (on top and in each section), each with its default, its one-line meaning and a mark
 * when {@code greyrelay reload} applies it.
 *
 * <p>Talks to: nothing; the embedding relay (or {@code greyrelay admin}) passes the configuration tree with secrets
 * already masked ({@code ConfigDump.masked}) and a {@link greyrelay.admin.ConfigKey} per key
 * ({@code AdminWiring.configKeys}: README's reference, {@code ConfigDump.keyStates}, {@code Reloadable.KEYS}). Trusts:
 * the tree (our own configuration); descriptions are still printed escaped. Known limits: changes need an edit of the
 * YAML file and a restart (or a reload). Config keys: all, read-only.
 */
package greyrelay.admin.settings;
