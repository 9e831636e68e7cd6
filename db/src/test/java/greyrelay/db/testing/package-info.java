/**
 * Test doubles and real test databases for every module's tests; published in the db test-jar
 * ({@code <type>test-jar</type>}, test scope).
 *
 * <p>{@link greyrelay.db.testing.TestDatabases} opens an H2 file in a temporary directory or the PostgreSQL at
 * {@code 127.0.0.1:5432/test} (user {@code postgres}) in a fresh schema dropped on close. Unreachable PostgreSQL
 * skips the test, or fails it when the environment has {@code REQUIRE_POSTGRES=1}.
 * {@link greyrelay.db.testing.ClassDatabase} is the JUnit extension the H2 and PostgreSQL runs of a store contract
 * share: one such database for the whole test class (plus a second node and a closed database on demand), opened
 * before the first test and closed, with its directory or schema, after the last.
 *
 * <p>Trusts: the local test server. Limits: a killed test JVM leaves its {@code t_*} schema behind. Reads no config
 * keys; reads the environment variable {@code REQUIRE_POSTGRES}.
 */
package greyrelay.db.testing;
