/**
 * Health answers: {@code GET /health/live} (alive and not wedged), {@code GET /health/ready} (able to take mail: each
 * {@link greyrelay.admin.health.Condition} with what was seen) and the summary {@code GET /health}; each with the
 * version. The summary: ({@code GET /health}: JSON, 200 or 503, always open because it shows no mail
 * data) and Prometheus metrics ({@code GET /metrics}: behind the login or an API token, open only with
 * {@code admin.metricsOpen}).
 *
 * <p>Talks to: whoever embeds the panel, through {@link greyrelay.admin.health.HealthSource} (the relay: SMTP
 * listening, database reachable, queue depth and oldest message; the panel alone: the database only) and a supplier of
 * the Prometheus text. Must not: block for long (a health check with a timeout calls it) or show anything that came
 * from mail. Config keys: {@code admin.metricsOpen}.
 */
package greyrelay.admin.health;
