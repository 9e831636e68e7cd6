#!/bin/bash
# GET /health on the embedded admin without curl (bash's /dev/tcp): healthy only on {"status":"ok"}.
port="${GREYRELAY_ADMIN_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
timeout 5 cat <&3 | grep -q '"status":"ok"'
