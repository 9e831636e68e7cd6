#!/usr/bin/env bash
# Runs a benchmark main class from relay's test sources: relay/bench.sh <name> [args...]
#   throughput [sessions] [messagesPerSession] [extra-yaml]   SMTP → spool → delivery (ThroughputBench)
#   postfix [sessions] [messagesPerSession] [plain|full]      the same load through a throwaway Postfix; full adds postgrey and reject_unverified_sender (PostfixBench)
#   spool [threads] [messagesPerThread]                       the spool alone: commit and remove 1 KiB messages (SpoolBench)
#   greylist [h2|postgres|all] [sizes] [decisions] [threads]      greylist decisions (GreylistBench; PostgreSQL = the test server)
#   policy [h2|postgres|echo|all] [connections] [seconds]       Postfix policy requests, greyrelay vs postgrey when installed; echo = a do-nothing server, the bench's ceiling (PolicyBench)
#   verify [probes]                                           callback verification on H2 (VerifyBench)
#   verify cluster [h2|postgres|all] [probes]                 the same on one node (H2, PostgreSQL) and two (PostgreSQL)
#   verify vouching                                           the forged-flood vouching case alone (VerifyBench)
#   connections short [sessions] [parallel] [listenBacklog]   connect/banner/EHLO/QUIT from many client addresses: sessions/s, p50/p99 (ConnectionsBench)
#   connections idle [connections] [listenBacklog]            the relay's RSS holding that many idle SMTP connections, and the time to open them
#   (BENCH_JAVA_OPTS adds JVM options, e.g. a flight recording: BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/x.jfr")
# Benchmarks print figures; they are not tests and assert nothing about speed.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
name="${1:?usage: relay/bench.sh <name> [args...]}"; shift
class="greyrelay.relay.bench.$(tr '[:lower:]' '[:upper:]' <<< "${name:0:1}")${name:1}Bench"
"$here/greyrelay" build
cd "$here"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
./mvnw -B -q -Dstyle.color=never -pl relay -am test-compile dependency:build-classpath -Dmdep.outputFile="$here/relay/target/bench.classpath" -Dmdep.includeScope=test > /dev/null || { echo "bench: build failed" >&2; exit 1; }
# the collector the launcher picks (./greyrelay: the parallel one unless the options name another)
gc="-XX:+UseParallelGC"
case " ${BENCH_JAVA_OPTS:-} " in *" -XX:+Use"*GC" "*) gc="" ;; esac
exec "$JAVA_HOME/bin/java" -Xmx1g $gc ${BENCH_JAVA_OPTS:-} -cp "relay/target/test-classes:relay/target/classes:$(cat relay/target/bench.classpath)" \
  -Dlogback.configurationFile=relay/src/test/resources/logback-bench.xml "$class" "$@"
