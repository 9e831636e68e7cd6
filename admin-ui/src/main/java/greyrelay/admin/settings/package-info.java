/**
 * The settings page: the effective configuration, read-only, one row per key, grouped by section.
 *
 * <p>Talks to: nothing; the embedding relay (or {@code greyrelay admin}) passes the configuration tree with secrets
 * already masked ({@code ConfigDump.masked}). Trusts: the tree (our own configuration). Known limits: changes need an
 * edit of the YAML file and a restart. Config keys: all, read-only.
 */
package greyrelay.admin.settings;
