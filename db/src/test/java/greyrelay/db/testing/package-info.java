/**
 * Test doubles and real test databases for every module's tests; published in the db test-jar
 * ({@code <type>test-jar</type>}, test scope).
 *
 * <p>{@link greyrelay.db.testing.TestDatabases} opens an H2 file in a temporary directory or the PostgreSQL at
 * {@code 127.0.0.1:5432/test} (user {@code postgres}) in a fresh schema dropped on close. Unreachable PostgreSQL
 * skips the test, or fails it when the environment has {@code REQUIRE_POSTGRES=1}.
 *
 * <p>Trusts: the local test server. Limits: a killed test JVM leaves its {@code t_*} schema behind. Reads no config
 * keys; reads the environment variable {@code REQUIRE_POSTGRES}.
 */
package greyrelay.db.testing;
