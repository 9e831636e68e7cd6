#!/bin/sh
# Benchmarks (not tests). Usage, from anywhere:
#   relay/bench.sh greylist [h2|postgres|all] [sizes, default 10000,1000000] [decisions, default 20000] [threads, default 4]
# Builds the relay and its test classes with the Maven wrapper (tests skipped), then runs the benchmark's main class
# on that classpath. PostgreSQL runs need the server of the tests (127.0.0.1:5432, database test, user postgres).
set -eu
cd "$(dirname "$0")/.."
what="${1:-}"
[ $# -gt 0 ] && shift
case "$what" in
  greylist) main=greyrelay.relay.bench.GreylistBench ;;
  *) echo "usage: relay/bench.sh greylist [h2|postgres|all] [sizes] [decisions] [threads]" >&2; exit 2 ;;
esac
./mvnw -B -q -Dstyle.color=never -pl relay -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx1g -cp "relay/target/test-classes:relay/target/classes:$(cat relay/target/bench.classpath)" "$main" "$@"
