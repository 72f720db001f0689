#!/usr/bin/env bash
# End to end: the README's `scripts/run` (on a free loopback port instead of 50051),
# seen by a client that knows nothing of our code (buf curl, through reflection),
# then a graceful SIGTERM shutdown.
# Usage: tests/e2e/lienthongd_smoke_test.sh REPOSITORY_ROOT PATH_TO_BUF
set -euo pipefail
root=$1
buf=$2
work=$(mktemp -d)
pid=""
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*"; echo "--- daemon log"; cat "$work/log"; exit 1; }

# The daemon writes its port into a FIFO once it serves: reading it waits for
# readiness without polling.
mkfifo "$work/port"
# scripts/run execs the daemon, so $! is the daemon itself once it is serving.
"$root/scripts/run" --listen=127.0.0.1:0 --data_dir="$work/var" \
  --port_file="$work/port" >"$work/log" 2>&1 &
pid=$!
read -r -t 300 port <"$work/port" || fail "daemon did not report its port"
# Mutual TLS with the development PKI scripts/run created: the operator by
# default, an agency's own certificate where an agency acts.
certs="$root/var/certs"
[ -f "$certs/ca.pem" ] && [ -f "$certs/operator.pem" ] && [ -f "$certs/operator.key" ] \
  || fail "scripts/run did not create var/certs"
url="https://127.0.0.1:$port"
curl_args=(--protocol grpc --timeout 10s --cacert "$certs/ca.pem"
  --cert "$certs/operator.pem" --key "$certs/operator.key")
as_agency() {  # agency code: buf curl arguments acting as that agency
  echo --protocol grpc --timeout 10s --cacert "$certs/ca.pem" \
    --cert "$certs/agencies/$1.pem" --key "$certs/agencies/$1.key"
}

methods=$("$buf" curl "${curl_args[@]}" --list-methods "$url") \
  || fail "buf curl --list-methods failed"
for method in grpc.health.v1.Health/Check grpc.health.v1.Health/Watch \
  grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo \
  lienthong.registry.v1.AdminUnitService/GetUnit \
  lienthong.registry.v1.AdminUnitService/MergeUnits \
  lienthong.registry.v1.AgencyService/CreateAgency \
  lienthong.registry.v1.IndicatorService/UpdateIndicator \
  lienthong.registry.v1.ReportingScheduleService/ResolvePeriod \
  lienthong.registry.v1.PlanService/SubmitTaskProgress \
  lienthong.registry.v1.RegistryWatchService/WatchRegistry \
  lienthong.ingestion.v1.IngestionService/StreamValues \
  lienthong.ingestion.v1.IngestionService/WatchChanges; do
  grep -qx "$method" <<<"$methods" || fail "reflection does not list $method: $methods"
done

health=$("$buf" curl "${curl_args[@]}" "$url/grpc.health.v1.Health/Check") \
  || fail "health check failed"
grep -q '"status": "SERVING"' <<<"$health" || fail "not SERVING: $health"

service_health=$("$buf" curl "${curl_args[@]}" \
  -d '{"service": "lienthong.registry.v1.AdminUnitService"}' \
  "$url/grpc.health.v1.Health/Check") || fail "service health check failed"
grep -q '"status": "SERVING"' <<<"$service_health" || fail "registry not SERVING"

# scripts/run loaded the national units as demo data: Phường Hồng Hà is there,
# under Hà Nội since the reform, and Phường Phúc Xá under Hà Nội before it.
unit=$("$buf" curl "${curl_args[@]}" -d '{"name": "units/00097"}' \
  "$url/lienthong.registry.v1.AdminUnitService/GetUnit") || fail "GetUnit failed"
grep -q '"displayName": "Phường Hồng Hà"' <<<"$unit" || fail "GetUnit returned: $unit"
ancestors=$("$buf" curl "${curl_args[@]}" \
  -d '{"name": "units/00001", "asOf": {"year": 2025, "month": 6, "day": 30}}' \
  "$url/lienthong.registry.v1.AdminUnitService/ListAncestors") \
  || fail "ListAncestors failed"
grep -q '"code": "01"' <<<"$ancestors" || fail "ListAncestors returned: $ancestors"

# And the seed plans: seed 003's plan with its Appendix 1 tasks.
plan=$("$buf" curl "${curl_args[@]}" -d '{"name": "plans/nghia-hanh-cds-2025"}' \
  "$url/lienthong.registry.v1.PlanService/GetPlan") || fail "GetPlan failed"
grep -q '"scopeUnit": "units/' <<<"$plan" || fail "GetPlan returned: $plan"
tasks=$("$buf" curl "${curl_args[@]}" \
  -d '{"parent": "plans/nghia-hanh-cds-2025", "pageSize": 1000}' \
  "$url/lienthong.registry.v1.PlanService/ListTasks") || fail "ListTasks failed"
[ "$(grep -c '"name": "plans/nghia-hanh-cds-2025/tasks/' <<<"$tasks")" -ge 20 ] \
  || fail "ListTasks returned: $tasks"

# A write through reflection alone, in the contract's JSON mapping.
"$buf" curl "${curl_args[@]}" -d '{"unit": {"code": "99999",
  "displayName": "Xã Thử Nghiệm", "level": "UNIT_LEVEL_COMMUNE",
  "kind": "UNIT_KIND_COMMUNE", "valid": {"start": {"year": 2026, "month": 1,
  "day": 1}}, "parents": [{"parent": "units/01", "valid": {"start": {"year": 2026,
  "month": 1, "day": 1}}}]}, "requestId": "e2e-create-99999"}' \
  "$url/lienthong.registry.v1.AdminUnitService/CreateUnit" >"$work/created" \
  || fail "CreateUnit failed: $(cat "$work/created")"
grep -q '"name": "units/99999"' "$work/created" || fail "CreateUnit returned: $(cat "$work/created")"
"$buf" curl "${curl_args[@]}" -d '{"agency": {"code": "000.00.00.H01",
  "displayName": "Ủy ban nhân dân thành phố Hà Nội", "unit": "units/01"}}' \
  "$url/lienthong.registry.v1.AgencyService/CreateAgency" >"$work/agency" \
  || fail "CreateAgency failed: $(cat "$work/agency")"
grep -q '"etag": "1"' "$work/agency" || fail "CreateAgency returned: $(cat "$work/agency")"
# One agency per commune the test reports for, with its certificate.
for unit in 00097 00004 00008 00001 00037 00103; do
  "$buf" curl "${curl_args[@]}" -d "{\"agency\": {\"code\": \"E2E.$unit\",
    \"displayName\": \"UBND $unit\", \"unit\": \"units/$unit\"}}" \
    "$url/lienthong.registry.v1.AgencyService/CreateAgency" >"$work/agency" \
    || fail "CreateAgency E2E.$unit failed: $(cat "$work/agency")"
done
"$root/bazel-bin/tools/certs/lt-certs" --dir="$certs" \
  --agencies=E2E.00097,E2E.00004,E2E.00008,E2E.00001,E2E.00037,E2E.00103 >/dev/null \
  || fail "lt-certs could not issue the test agencies' certificates"
# Only the operator administers the registry; a client without a certificate
# is turned away with the reason.
if "$buf" curl $(as_agency E2E.00097) -d '{"agency": {"code": "E2E.X",
  "displayName": "X", "unit": "units/00097"}}' \
  "$url/lienthong.registry.v1.AgencyService/CreateAgency" 2>"$work/err"; then
  fail "an agency system administered the registry"
fi
grep -q "permission_denied" "$work/err" || fail "expected permission_denied: $(cat "$work/err")"
# (Without a certificate reflection is refused too: the schema comes from the
# repository.)
if "$buf" curl --schema "$root" --protocol grpc --timeout 10s --cacert "$certs/ca.pem" \
  -d '{"name": "units/00097"}' \
  "$url/lienthong.registry.v1.AdminUnitService/GetUnit" 2>"$work/err"; then
  fail "a client without a certificate was served"
fi
grep -q "unauthenticated" "$work/err" && grep -q "CLIENT_CERTIFICATE_REQUIRED" "$work/err" \
  || fail "expected unauthenticated: $(cat "$work/err")"
# A rejected request carries its code to a foreign client.
if "$buf" curl "${curl_args[@]}" -d '{"name": "units/1"}' \
  "$url/lienthong.registry.v1.AdminUnitService/GetUnit" 2>"$work/err"; then
  fail "a malformed name was accepted"
fi
grep -q "invalid_argument" "$work/err" || fail "expected invalid_argument: $(cat "$work/err")"

# Ingestion validates against the registry through gRPC: define an indicator and
# a monthly schedule, then report a value for this month.
"$buf" curl "${curl_args[@]}" -d '{"indicator": {"code": "E2E.SO_LOP",
  "displayNameVi": "Số lớp tập huấn kỹ năng số", "pillar": "PILLAR_DIGITAL_HUMAN_RESOURCES",
  "valueType": "VALUE_TYPE_COUNT", "aggregation": "AGGREGATION_RULE_SUM",
  "valid": {"start": {"year": 2021, "month": 1, "day": 1}}}}' \
  "$url/lienthong.registry.v1.IndicatorService/CreateIndicator" >"$work/out" \
  || fail "CreateIndicator failed: $(cat "$work/out")"
"$buf" curl "${curl_args[@]}" -d '{"scheduleId": "e2e-thang", "schedule": {
  "displayName": "Báo cáo hằng tháng", "indicators": ["indicators/E2E.SO_LOP"],
  "reportingLevel": "UNIT_LEVEL_COMMUNE", "periodType": "PERIOD_TYPE_MONTH",
  "deadline": {"submitDaysAfterWindow": 1, "forwardDaysAfterWindow": 2},
  "lockDaysAfterDeadline": 4000, "valid": {"start": {"year": 2021, "month": 1, "day": 1}}}}' \
  "$url/lienthong.registry.v1.ReportingScheduleService/CreateSchedule" >"$work/out" \
  || fail "CreateSchedule failed: $(cat "$work/out")"
period=$(date -u +%Y-M%m)
"$buf" curl $(as_agency E2E.00097) -d "{\"options\": {\"schedule\": \"schedules/e2e-thang\",
  \"requestId\": \"e2e-batch-1\"}, \"rows\": [{\"unit\": \"units/00097\",
  \"indicator\": \"indicators/E2E.SO_LOP\", \"period\": \"$period\",
  \"value\": {\"count\": \"3\"}}]}" \
  "$url/lienthong.ingestion.v1.IngestionService/SubmitValues" >"$work/out" \
  || fail "SubmitValues failed: $(cat "$work/out")"
grep -q '"created": 1' "$work/out" || fail "SubmitValues returned: $(cat "$work/out")"
# An agency writes for its own unit only: not for its neighbour.
if "$buf" curl $(as_agency E2E.00097) -d "{\"options\": {\"schedule\": \"schedules/e2e-thang\",
  \"requestId\": \"e2e-batch-foreign\"}, \"rows\": [{\"unit\": \"units/00103\",
  \"indicator\": \"indicators/E2E.SO_LOP\", \"period\": \"$period\",
  \"value\": {\"count\": \"1\"}}]}" \
  "$url/lienthong.ingestion.v1.IngestionService/SubmitValues" 2>"$work/err"; then
  fail "a commune wrote its neighbour's values"
fi
grep -q "permission_denied" "$work/err" || fail "expected permission_denied: $(cat "$work/err")"
values=$("$buf" curl "${curl_args[@]}" -d '{"unit": "units/00097"}' \
  "$url/lienthong.ingestion.v1.IngestionService/ListValues") || fail "ListValues failed"
grep -q '"count": "3"' <<<"$values" || fail "ListValues returned: $values"
# Hà Nội (01) reads its communes' values through the hierarchy of the period.
values=$("$buf" curl "${curl_args[@]}" \
  -d "{\"unit\": \"units/01\", \"includeDescendants\": true, \"period\": \"$period\"}" \
  "$url/lienthong.ingestion.v1.IngestionService/ListValues") || fail "ListValues (descendants) failed"
grep -q '"name": "dataValues/00097/E2E.SO_LOP/' <<<"$values" || fail "descendant values: $values"

# ltctl pushes two communes' CSV reports, each with its own certificate;
# pushing one again writes nothing twice.
(cd "$root" && bazel build //tools/ltctl:ltctl 2>&1 | grep -E '^ERROR' || true)
ltctl="$(cd "$root" && bazel info bazel-bin 2>/dev/null)/tools/ltctl/ltctl"
push() {  # unit value
  printf 'unit,indicator,period,value\n%s,E2E.SO_LOP,%s,%s\n' "$1" "$period" "$2" \
    >"$work/report-$1.csv"
  "$ltctl" push --server="127.0.0.1:$port" --ca_cert="$certs/ca.pem" \
    --cert="$certs/agencies/E2E.$1.pem" --key="$certs/agencies/E2E.$1.key" \
    --schedule=schedules/e2e-thang --outbox="$work/outbox" --output=json \
    "$work/report-$1.csv"
}
push 00004 7 >"$work/push" || fail "ltctl push: $(cat "$work/push")"
grep -q '"created": 1' "$work/push" || fail "ltctl push printed: $(cat "$work/push")"
push 00008 9 >"$work/push" || fail "ltctl push: $(cat "$work/push")"
grep -q '"created": 1' "$work/push" || fail "ltctl push printed: $(cat "$work/push")"
push 00008 9 >"$work/push" || fail "ltctl push again: $(cat "$work/push")"
grep -q '"batchesReplayed": 1\|"batches_replayed": 1' "$work/push" \
  || fail "the second push was not replayed: $(cat "$work/push")"

# Reporting follows the change feed: Hà Nội's rollup sums its three communes
# (3 + 7 + 9), waiting for the feed to reach the last push (read-your-writes).
sequence=$(grep -o '"last_sequence": *[0-9]*' "$work/push" | grep -o '[0-9]*$') \
  || fail "no last_sequence in: $(cat "$work/push")"
"$buf" curl "${curl_args[@]}" -d "{\"unit\": \"units/01\",
  \"indicator\": \"indicators/E2E.SO_LOP\", \"period\": \"$period\",
  \"minSequence\": \"$sequence\"}" \
  "$url/lienthong.reporting.v1.ReportingService/GetRollup" >"$work/rollup" \
  || fail "GetRollup failed: $(cat "$work/rollup")"
grep -q '"count": "19"' "$work/rollup" || fail "GetRollup returned: $(cat "$work/rollup")"
grep -q '"contributingUnits": 3' "$work/rollup" || fail "contributors: $(cat "$work/rollup")"
# Completeness: three of Hà Nội's communes have reported this month.
"$buf" curl "${curl_args[@]}" -d "{\"schedule\": \"schedules/e2e-thang\",
  \"unit\": \"units/01\", \"period\": \"$period\"}" \
  "$url/lienthong.reporting.v1.ReportingService/GetCompleteness" >"$work/complete" \
  || fail "GetCompleteness failed: $(cat "$work/complete")"
grep -q '"complete": 3' "$work/complete" || fail "GetCompleteness returned: $(head -c 600 "$work/complete")"
# Across the 2025 reform (the national files): Phúc Xá (00001) and Phúc Tân
# (00037) were merged into Hồng Hà (00097) on 2025-07-01. Their December 2024
# reports count for Hồng Hà in the new map, and for themselves in the old one.
for report in 00001:2 00037:5; do
  "$buf" curl $(as_agency "E2E.${report%:*}") -d "{\"options\": {\"schedule\":
    \"schedules/e2e-thang\", \"requestId\": \"e2e-reform-${report%:*}\"}, \"rows\": [{
    \"unit\": \"units/${report%:*}\", \"indicator\": \"indicators/E2E.SO_LOP\",
    \"period\": \"2024-M12\", \"value\": {\"count\": \"${report#*:}\"}}]}" \
    "$url/lienthong.ingestion.v1.IngestionService/SubmitValues" >"$work/out" \
    || fail "SubmitValues (2024) failed: $(cat "$work/out")"
done
sequence=$(grep -o '"lastSequence": *"*[0-9]*' "$work/out" | grep -o '[0-9]*$') \
  || fail "no lastSequence in: $(cat "$work/out")"
rollup_2024() {  # unit, hierarchy date as JSON
  "$buf" curl "${curl_args[@]}" -d "{\"unit\": \"$1\",
    \"indicator\": \"indicators/E2E.SO_LOP\", \"period\": \"2024-M12\",
    \"hierarchyDate\": $2, \"minSequence\": \"$sequence\"}" \
    "$url/lienthong.reporting.v1.ReportingService/GetRollup"
}
new_map='{"year": 2025, "month": 7, "day": 1}'
old_map='{"year": 2024, "month": 12, "day": 31}'
rollup_2024 units/00097 "$new_map" >"$work/rollup" || fail "GetRollup 00097: $(cat "$work/rollup")"
grep -q '"count": "7"' "$work/rollup" || fail "Hồng Hà in the new map: $(cat "$work/rollup")"
rollup_2024 units/01 "$new_map" >"$work/rollup" || fail "GetRollup 01 (new map)"
grep -q '"count": "7"' "$work/rollup" || fail "Hà Nội in the new map: $(cat "$work/rollup")"
rollup_2024 units/00001 "$old_map" >"$work/rollup" || fail "GetRollup 00001 (old map)"
grep -q '"count": "2"' "$work/rollup" || fail "Phúc Xá in the old map: $(cat "$work/rollup")"
rollup_2024 units/01 "$old_map" >"$work/rollup" || fail "GetRollup 01 (old map)"
grep -q '"count": "7"' "$work/rollup" || fail "Hà Nội in the old map: $(cat "$work/rollup")"
grep -q '"contributingUnits": 2' "$work/rollup" || fail "old-map contributors: $(cat "$work/rollup")"

# Plans against the data: the seed plan's targets with their status, and its
# tasks counted by lead agency.
"$buf" curl "${curl_args[@]}" -d '{"plan": "plans/nghia-hanh-cds-2025", "pageSize": 1000}' \
  "$url/lienthong.reporting.v1.ReportingService/ListTargetAchievements" >"$work/achieved" \
  || fail "ListTargetAchievements failed: $(cat "$work/achieved")"
grep -q '"status": "ACHIEVEMENT_STATUS_' "$work/achieved" \
  || fail "ListTargetAchievements returned: $(head -c 600 "$work/achieved")"
"$buf" curl "${curl_args[@]}" -d '{"plan": "plans/nghia-hanh-cds-2025"}' \
  "$url/lienthong.reporting.v1.ReportingService/SummarizeTasks" >"$work/tasks" \
  || fail "SummarizeTasks failed: $(cat "$work/tasks")"
grep -q '"total": [0-9]' "$work/tasks" || fail "SummarizeTasks returned: $(head -c 600 "$work/tasks")"

# The document exchange runs with the development PKI scripts/run created: a
# demo agency's inbox answers (empty), and a document signed by nobody is
# refused as invalid.
"$buf" curl $(as_agency DEMO.11098.UBND) -d '{"recipient": "agencies/DEMO.11098.UBND"}' \
  "$url/lienthong.documents.v1.DocumentService/ListInbox" >"$work/inbox" \
  || fail "ListInbox failed: $(cat "$work/inbox")"
# Nobody reads another agency's inbox.
if "$buf" curl $(as_agency DEMO.298.UBND) -d '{"recipient": "agencies/DEMO.11098.UBND"}' \
  "$url/lienthong.documents.v1.DocumentService/ListInbox" 2>"$work/err"; then
  fail "an agency read another's inbox"
fi
grep -q "permission_denied" "$work/err" || fail "expected permission_denied: $(cat "$work/err")"
if "$buf" curl $(as_agency DEMO.298.UBND) -d '{"document": {"header": {"from": {"organId":
  "DEMO.298.UBND"}, "to": [{"organId": "DEMO.11098.UBND"}], "subject": "Công văn",
  "code": {"codeNumber": "1"}}}}' \
  "$url/lienthong.documents.v1.DocumentService/SendDocument" >"$work/out" 2>"$work/err"; then
  fail "an unsigned document was accepted: $(cat "$work/out")"
fi
grep -q "invalid_argument" "$work/err" && grep -q "invalid document" "$work/err" \
  || fail "unsigned document: $(cat "$work/err")"

[ -f "$work/var/registry.db" ] || fail "the registry database was not created"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" -eq 0 ] || fail "exit status $status after SIGTERM"
grep -q "event=server.stopped" "$work/log" || fail "no graceful stop in the log"

# Every mutation above is in the hash-chained audit log, which verifies; an
# anchor the log does not hold is reported as tampering (exit status 1).
lt_audit="$root/bazel-bin/services/audit/lt-audit"
"$lt_audit" verify --db="$work/var/audit.db" >"$work/audit" \
  || fail "audit log does not verify: $(cat "$work/audit")"
grep -q '"intact": true' "$work/audit" || fail "audit: $(cat "$work/audit")"
grep -q '"records_checked": 0,' "$work/audit" && fail "no mutation was audited"
status=0
"$lt_audit" verify --db="$work/var/audit.db" --anchor="1:$(printf '0%.0s' {1..64})" \
  >"$work/audit" || status=$?
[ "$status" -eq 1 ] && grep -q '"failure": "ANCHOR_MISMATCH"' "$work/audit" \
  || fail "a wrong anchor was not reported (status $status): $(cat "$work/audit")"
echo "PASS: lienthongd serves health, reflection, the registry, ingestion (also through ltctl) rollups, completeness, achievement and documents; stops on SIGTERM; its audit log verifies"
