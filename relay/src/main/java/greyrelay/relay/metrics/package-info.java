/**
 * The process-wide meters published at {@code /metrics} beside the features' own: JVM (memory, GC, threads, classes),
 * process (CPU, uptime, open files), the database pool (Hikari), the admin panel's Jetty (connections, thread pool)
 * and {@code greyrelay_build_info}.
 *
 * <p>Micrometer with its Prometheus registry is the one metrics library: the binders come with it (its Jetty binders
 * work on the panel's Jetty 12; Hikari brings its own tracker), so nothing here measures by hand. Each feature registers its own
 * meters where the event happens: {@code smtp.SmtpMetrics} (sessions, TLS, end of DATA to 250), {@code queue.MailQueue}
 * (deliveries by status, DSNs, delivery latency, queue depth, spool free bytes), the checks (decisions, latency),
 * verification, rate limits. {@code docker/grafana-dashboard.json} is built on these names, and
 * {@code MetricsDashboardTest} keeps it so.
 */
package greyrelay.relay.metrics;
