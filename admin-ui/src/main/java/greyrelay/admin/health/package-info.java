/** Liveness for container health checks and Prometheus metrics. Open without login: neither shows mail data. */
package greyrelay.admin.health;
