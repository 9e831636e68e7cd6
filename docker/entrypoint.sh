#!/bin/sh
# The JVM becomes PID 1's child-less replacement (exec), so SIGTERM reaches it and the relay drains gracefully
# (smtp.shutdownGrace) before the container stops.
set -e
exec java ${GREYRELAY_JAVA_OPTS} -jar /opt/greyrelay/greyrelay.jar "$@"
