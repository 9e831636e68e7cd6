/**
 * Liveness for container health checks ({@code GET /health}, always open: it shows no mail data) and Prometheus
 * metrics ({@code GET /metrics}: behind the login or an API token, open only with {@code admin.metricsOpen}).
 */
package greyrelay.admin.health;
