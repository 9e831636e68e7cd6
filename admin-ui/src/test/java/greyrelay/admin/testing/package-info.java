/**
 * The panel's test helpers, published in the admin-ui test-jar for the relay's tests too:
 * {@link greyrelay.admin.testing.AdminServer} (the panel on port 0 over H2 in a temporary folder, logged in, with a
 * {@link greyrelay.admin.testing.MutableClock} and a {@link greyrelay.admin.testing.FakeQueue}) and
 * {@link greyrelay.admin.testing.HeadlessChrome} (Debian's chromium through Selenium with the driver named explicitly,
 * so nothing is downloaded; skipped without it unless {@code REQUIRE_BROWSER=1}).
 */
package greyrelay.admin.testing;
