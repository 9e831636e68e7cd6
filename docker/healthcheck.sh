#!/bin/bash
# The container's HEALTHCHECK: `greyrelay health` asks the running relay's /health/ready through its control API
# (<dataDir>/control.url and control.token), so it works whatever admin.* says, with the panel off too.
# Exit 0 ready (SMTP listening, database reachable, spool writable with queue.minFreeSpace free, downstream), 1 not.
# A small heap: this is a short-lived client JVM next to the relay's.
export GREYRELAY_JAVA_OPTS="-Xmx64m -XX:TieredStopAtLevel=1 -Xshare:auto"
exec greyrelay health
