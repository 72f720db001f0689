#!/usr/bin/env bash
# End to end: the public contract from other languages. Python (Debian's grpcio,
# stubs generated here from protos/) and Node (@grpc/grpc-js loading the .proto
# files at run time) each drive a live lienthongd over mutual TLS.
# Usage: tests/e2e/interop_test.sh REPOSITORY_ROOT PATH_TO_BUF
set -euo pipefail
root=$1
# (PATH_TO_BUF: the calling convention of every e2e test; unused here.)
work=$(mktemp -d)
pid=""
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; echo "--- daemon log"; cat "$work/log" 2>/dev/null; exit 1; }

[ -d "$root/tests/interop/node/node_modules/@grpc/grpc-js" ] \
  || fail "tests/interop/node/node_modules is missing: run scripts/install"

# A PKI of its own. lt-certs names client certificates by agency code only: the
# scenarios create these agencies in the registry before they act as them.
"$root/bazel-bin/tools/certs/lt-certs" --dir="$work/certs" \
  --agencies=PY.97001,PY.97002,NODE.98001,NODE.98002 >/dev/null \
  || fail "lt-certs could not create the PKI"

# The daemon writes its port into a FIFO once it serves: reading it waits for
# readiness without polling. No units are loaded: the scenarios create theirs.
mkfifo "$work/port"
"$root/bazel-bin/services/lienthongd/lienthongd" --listen=127.0.0.1:0 \
  --data_dir="$work/var" --certs_dir="$work/certs" \
  --metrics_listen=127.0.0.1:0 --metrics_port_file="$work/metrics_port" \
  --port_file="$work/port" >"$work/log" 2>&1 &
pid=$!
read -r -t 300 port <"$work/port" || fail "daemon did not report its port"
address="127.0.0.1:$port"
# Both languages report for this month, as the smoke test does.
period=$(date -u +%Y-M%m)

# Python stubs for the contract, google.rpc's error details (not in Debian's
# python3-protobuf) and the health service, generated for this run only. health.proto
# is named from its own directory: a grpc/ package would clash with grpcio's.
mkdir "$work/py"
(cd "$root/protos" && find lienthong -name '*.proto') >"$work/protos"
googleapis=/usr/share/gocode/src/github.com/gogo/googleapis
protoc --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
  --python_out="$work/py" --grpc_python_out="$work/py" \
  -I "$root/protos" -I "$googleapis" -I /usr/share/grpc-proto/grpc/health/v1 -I /usr/include \
  $(cat "$work/protos") google/rpc/status.proto google/rpc/error_details.proto \
  health.proto 2>"$work/protoc" \
  || fail "protoc could not generate the Python stubs: $(cat "$work/protoc")"
PYTHONPATH="$work/py" /usr/bin/python3 "$root/tests/interop/python/scenario.py" \
  "$address" "$work/certs" "$period" || fail "the Python scenario failed"

node "$root/tests/interop/node/scenario.js" "$address" "$work/certs" "$period" \
  "$root/protos" || fail "the Node scenario failed"

# The metrics both clients' calls left, read by Prometheus' own Python parser
# (Debian's python3-prometheus-client): the exposition must parse, and show the
# calls and values.
/usr/bin/python3 - "$(cat "$work/metrics_port")" <<'PY' || fail "metrics check failed"
import sys, urllib.request
from prometheus_client.parser import text_string_to_metric_families
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=30).read().decode()
samples = {}
for family in text_string_to_metric_families(text):
    for s in family.samples:
        samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
def value(name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)
ok_submits = value("grpc_server_handled_total", grpc_service="lienthong.ingestion.v1.IngestionService",
                   grpc_method="SubmitValues", grpc_type="unary", grpc_code="OK")
created = value("lienthong_ingestion_values_total", result="created")
assert ok_submits >= 4, f"SubmitValues OK: {ok_submits}"
assert created >= 4, f"values created: {created}"
assert value("lienthong_ingestion_fsyncs_total") >= 1
print(f"metrics: {len(samples)} samples parsed; SubmitValues OK {ok_submits:g}, values created {created:g}")
PY

# Graceful shutdown: SIGTERM, and the daemon exits 0.
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
[ "$status" -eq 0 ] || fail "daemon exited $status after SIGTERM"
grep -q "event=server.stopped" "$work/log" || fail "no graceful stop in the log"
echo "interop: Python and Node passed"
