/**
 * The decisions page: "why was this message deferred?". Searches the decision log (db
 * {@code greyrelay.db.decision.DecisionLog}) by sender and recipient (substring), client IP (exact), outcome and time
 * (UTC), newest first, paged; shows one decision with every other decision of its SMTP session. The same question
 * asked ahead, "why would this be deferred?": {@code POST /api/decisions/check} runs the relay's check table as a dry
 * run ({@link greyrelay.admin.decisions.DryRuns}, given by the relay; {@code greyrelay check}) and answers in the
 * decision log's words; a panel running alone has none (409).
 *
 * <p>Trusts: nothing it shows. HELO names, addresses and reply texts were typed by strangers; the templates escape
 * them. Known limits: address search is a substring scan (narrow it by time on a big log). Config keys: none.
 */
package greyrelay.admin.decisions;
