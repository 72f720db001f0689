#!/usr/bin/env bash
# End to end: the real lienthongd binary on a free loopback port, seen by a client
# that knows nothing of our code (buf curl, through reflection), then a graceful
# SIGTERM shutdown.
# Usage: tests/e2e/lienthongd_smoke_test.sh PATH_TO_LIENTHONGD PATH_TO_BUF
set -euo pipefail
daemon=$1
buf=$2
work=$(mktemp -d)
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; echo "--- daemon log"; cat "$work/log"; exit 1; }

"$daemon" --listen=127.0.0.1:0 --data_dir="$work/var" --port_file="$work/port" \
  2>"$work/log" &
pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "daemon exited early"
  sleep 0.1
done
[ -s "$work/port" ] || fail "daemon did not report its port"
url="http://127.0.0.1:$(cat "$work/port")"
curl_args=(--protocol grpc --http2-prior-knowledge --timeout 10s)

methods=$("$buf" curl "${curl_args[@]}" --list-methods "$url") \
  || fail "buf curl --list-methods failed"
for method in grpc.health.v1.Health/Check grpc.health.v1.Health/Watch \
  grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo; do
  grep -qx "$method" <<<"$methods" || fail "reflection does not list $method: $methods"
done

health=$("$buf" curl "${curl_args[@]}" "$url/grpc.health.v1.Health/Check") \
  || fail "health check failed"
grep -q '"status": "SERVING"' <<<"$health" || fail "not SERVING: $health"

[ -d "$work/var" ] || fail "data directory was not created"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
grep -q "event=server.stopped" "$work/log" || fail "no graceful stop in the log"
echo "PASS: lienthongd serves health and reflection, stops on SIGTERM"
