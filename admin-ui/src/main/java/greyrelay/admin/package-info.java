/**
 * The admin web panel's contract with whoever embeds it, and with its own pages. The embedder (the relay, or
 * {@code greyrelay admin} alone) passes {@link greyrelay.admin.AdminSettings} (from {@code admin.*}),
 * {@link greyrelay.admin.RelayPolicy} (the relay's configured policy, typed: rate-limit defaults, greylist periods,
 * spamtraps, profile lifetime) and a {@link greyrelay.admin.ChangeListener} that reloads the relay's in-memory whitelists
 * and rate-limit overrides after an edit. Each page is an {@link greyrelay.admin.AdminFeature}. The app is put together
 * in {@link greyrelay.admin.app}; see {@code admin-ui/README.md}.
 *
 * <p>Holds types only, and imports no page: every feature package may use it, and it uses none of them. admin-ui never
 * reads the relay's configuration itself: what a page needs of it travels typed in {@code RelayPolicy}; the settings
 * page only shows the masked dump it is given.
 */
package greyrelay.admin;
