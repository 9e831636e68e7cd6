#!/bin/sh
# bin/greyrelay execs the JVM, so the JVM is PID 1's replacement: SIGTERM reaches it and the relay drains gracefully
# (smtp.shutdownGrace) before the container stops.
set -e
exec /opt/greyrelay/bin/greyrelay "$@"
