/**
 * Benchmarks, run by {@code relay/bench.sh throughput|postfix|spool|greylist|policy|verify|connections}: they print
 * figures and assert nothing about speed (README.md, "Performance", has the figures and the machine they came from). Not tests:
 * Surefire does not run them.
 */
package greyrelay.relay.bench;
