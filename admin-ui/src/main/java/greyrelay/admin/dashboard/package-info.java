/**
 * The dashboard: decisions per hour (24 h) and per day (7 d) as uPlot charts, 24 h totals, top deferred client networks
 * (grouped as the greylist groups them: {@code greylist.ipv4Prefix}/{@code ipv6Prefix} from the relay's policy, /24
 * and /64 without one) and sender domains, and the node's queue depth when embedded.
 *
 * <p>Talks to: the decision log (db {@code DecisionLog.histogram}, {@code topClientIps}, {@code topSenderDomains}) and,
 * embedded, the queue ({@link greyrelay.admin.queue.QueueOperations}). The browser gets the chart data from
 * {@code GET /api/dashboard} and draws it with {@code static/dashboard.js}; a chart added on the server is drawn without
 * touching the script. Trusts: sender domains are remote text (escaped). Known limits: observe-mode rows are left out;
 * the network list is built from the 1000 busiest IPs. Config keys: none.
 */
package greyrelay.admin.dashboard;
