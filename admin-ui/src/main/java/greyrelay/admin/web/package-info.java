/**
 * The panel's plumbing, shared by every feature: jte wiring ({@link greyrelay.admin.web.Templates}), the page model
 * ({@link greyrelay.admin.web.Page}, {@link greyrelay.admin.web.Pages}, {@link greyrelay.admin.web.NavItem}), security
 * headers, the one place failures become answers ({@link greyrelay.admin.web.Problems}: JSON under {@code /api},
 * an HTML page elsewhere), validated input ({@link greyrelay.admin.web.Form}, {@link greyrelay.admin.web.Paging}),
 * formatting for templates ({@link greyrelay.admin.web.Html}) and the hand-written OpenAPI document
 * ({@link greyrelay.admin.web.OpenApi}).
 *
 * <p>Talks to: Javalin and jte only. Trusts: nothing in request parameters (Form validates and bounds them). Known
 * limits: times are shown and read in UTC only. Config keys: none.
 */
package greyrelay.admin.web;
