#!/usr/bin/env bash
# Builds the container image with podman from a locally made base (no registry needed), runs it, and checks that it
# answers SMTP and /health, runs as non-root, and stops gracefully. Not part of CI (needs root podman and a few minutes).
#   docker/smoke-test.sh            (from anywhere; root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export CONTAINERS_CONF="$root/docker/containers.conf"
base="localhost/greyrelay-base:25"
build_base="localhost/greyrelay-build:25"
image="localhost/greyrelay:smoke"
name="greyrelay-smoke"
smtp_port=2599
admin_port=8099

need() { command -v "$1" >/dev/null 2>&1 || { echo "smoke: installing $2" >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null; }; }
need podman podman
need runc runc
need debootstrap debootstrap

jdk="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$jdk/bin/jlink" ] || { echo "smoke: needs a JDK 25 with jlink (set JAVA_HOME)" >&2; exit 2; }

if ! podman image exists "$base" || ! podman image exists "$build_base"; then
  echo "smoke: building the base image $base (debootstrap bookworm minbase + jlink'd Java runtime)..."
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >/dev/null
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/* \
         "$work"/rootfs/usr/share/doc/* "$work"/rootfs/usr/share/man/* "$work"/rootfs/usr/share/locale/*
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.naming,java.sql,java.management,java.xml,java.net.http,java.desktop,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,java.instrument,jdk.management \
    --strip-debug --no-header-files --no-man-pages --output "$work/rootfs/opt/java"
  tar -C "$work/rootfs" -c . | podman import \
    --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/opt/java' - "$base" >/dev/null
  # the build stage's base: the same root with the whole JDK instead of the jlinked runtime
  rm -rf "$work/rootfs/opt/java" && cp -a "$jdk" "$work/rootfs/opt/java"
  tar -C "$work/rootfs" -c . | podman import \
    --change 'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/opt/java' - "$build_base" >/dev/null
fi

echo "smoke: building the image (two stages: Maven wrapper on the JDK base, then the runtime)..."
podman build --pull=never --network=host --format docker --build-arg BUILD_IMAGE="$build_base" --build-arg BASE_IMAGE="$base" \
  -f docker/Dockerfile -t "$image" . >/dev/null

podman rm -f "$name" >/dev/null 2>&1 || true
podman run -d --name "$name" --network=host \
  -e GREYRELAY_SMTP_PORT=$smtp_port -e GREYRELAY_ADMIN_PORT=$admin_port \
  -e GREYRELAY_SMTP_HOSTNAME=mx.example.com -e GREYRELAY_SMTP_RELAY_DOMAINS=example.com \
  -e GREYRELAY_ADMIN_PASSWORD=smoke-test-password \
  "$image" >/dev/null
cleanup() { podman rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "smoke: waiting for SMTP and /health..."
ok=""
for _ in $(seq 1 90); do
  if banner=$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$smtp_port; head -1 <&3" 2>/dev/null) && [[ "$banner" == 220* ]]; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { podman logs "$name" | tail -30; echo "smoke: FAIL no SMTP banner"; exit 1; }
echo "  banner: $banner"
health=$(timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$admin_port; printf 'GET /health HTTP/1.0\r\n\r\n' >&3; cat <&3" | tail -1)
echo "  /health: $health"
[[ "$health" == *'"status":"ok"'* ]] || { echo "smoke: FAIL /health"; exit 1; }
podman healthcheck run "$name" && echo "  HEALTHCHECK: healthy"
uid=$(podman exec "$name" id -u); echo "  runs as uid $uid"
[ "$uid" != "0" ] || { echo "smoke: FAIL runs as root"; exit 1; }
reply=$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$smtp_port; head -1 <&3 >/dev/null; printf 'EHLO smoke.example.org\r\nMAIL FROM:<jane@example.org>\r\nRCPT TO:<someone@example.net>\r\nQUIT\r\n' >&3; cat <&3" | grep -E '^554' || true)
echo "  foreign recipient: $reply"
podman exec "$name" greyrelay --version | sed 's/^/  greyrelay on the PATH: /'
[[ "$reply" == "554 5.7.1"* ]] || { echo "smoke: FAIL relay check"; exit 1; }
start=$(date +%s); podman stop -t 40 "$name" >/dev/null; echo "  stopped gracefully in $(( $(date +%s) - start ))s"
podman logs "$name" 2>&1 | grep -q "greyrelay stopped" && echo "  log: greyrelay stopped"
echo "smoke: OK"
