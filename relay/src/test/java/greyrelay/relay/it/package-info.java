/**
 * Whole-relay scenarios: a real {@code Relay} on port 0 with every fake peer ({@code testing.RelayHarness}), driven over
 * SMTP, the admin API or a browser, asserting replies line by line, decision-log rows, delivered messages and pages.
 * {@code GoldenTranscriptTest} replays the golden transcripts. Classes named {@code *IT} run in the same test phase as
 * the others; browser scenarios skip without Chromium unless {@code REQUIRE_BROWSER=1}, PostgreSQL ones without a
 * server unless {@code REQUIRE_POSTGRES=1}.
 */
package greyrelay.relay.it;
