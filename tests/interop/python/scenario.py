"""The public gRPC contract from Python, over mutual TLS, against a live daemon.

Usage: PYTHONPATH=STUBS /usr/bin/python3 scenario.py ADDRESS CERTS_DIR PERIOD
STUBS holds protoc's Python output for protos/, google/rpc/{status,error_details}
and grpc/health/v1/health.proto (see tests/e2e/interop_test.sh). CERTS_DIR is as lt-certs
writes it, with agencies PY.97001 and PY.97002. Province 97 is no real one, and
the Node client uses 98: both run against one daemon, national units loaded or not.
"""
import sys

import grpc
import health_pb2  # grpc/health/v1/health.proto, generated from its directory
import health_pb2_grpc
from google.rpc import error_details_pb2, status_pb2
from lienthong.common.v1 import classification_pb2, date_pb2, period_pb2, value_pb2
from lienthong.ingestion.v1 import data_value_pb2, ingestion_service_pb2 as ing
from lienthong.ingestion.v1 import ingestion_service_pb2_grpc
from lienthong.registry.v1 import admin_unit_pb2, admin_unit_service_pb2
from lienthong.registry.v1 import admin_unit_service_pb2_grpc, agency_pb2, agency_pb2_grpc
from lienthong.registry.v1 import indicator_pb2, indicator_pb2_grpc
from lienthong.registry.v1 import reporting_schedule_pb2 as sched, reporting_schedule_pb2_grpc
from lienthong.reporting.v1 import reporting_service_pb2, reporting_service_pb2_grpc

address, certs, period = sys.argv[1:4]
SINCE = date_pb2.DateRange(start=date_pb2.Date(year=2021, month=1, day=1))
INDICATOR, SCHEDULE = "indicators/PY.SO_LOP", "schedules/py-thang"
T = 10  # seconds a call may take


def check(ok, what):
    if not ok:
        sys.exit(f"python: FAIL: {what}")
    print(f"python: ok: {what}")


def channel(identity):  # "operator" or "agencies/CODE": whose certificate to present
    read = lambda path: open(f"{certs}/{path}", "rb").read()
    creds = grpc.ssl_channel_credentials(read("ca.pem"), read(f"{identity}.key"),
                                         read(f"{identity}.pem"))
    return grpc.secure_channel(address, creds)


def rejection(call, request):
    """Calls expecting an error: its code and the google.rpc.Status the server
    attached (Debian has no grpc_status module: parse the trailer ourselves)."""
    try:
        call(request, timeout=T)
    except grpc.RpcError as e:
        details = dict(e.trailing_metadata() or ()).get("grpc-status-details-bin")
        return e.code(), status_pb2.Status.FromString(details or b"")
    sys.exit(f"python: FAIL: {request} was accepted")


def detail(status, message):  # the first detail of that type, unpacked
    for any_ in status.details:
        if any_.Is(message.DESCRIPTOR):
            any_.Unpack(message)
            return message
    sys.exit(f"python: FAIL: no {message.DESCRIPTOR.full_name} in {status}")


operator = channel("operator")
health = health_pb2_grpc.HealthStub(operator).Check(health_pb2.HealthCheckRequest(), timeout=T)
check(health.status == health_pb2.HealthCheckResponse.SERVING, "health SERVING")

# The registry, as operator: a province, two communes, their agencies, an
# indicator and a monthly schedule.
Level = classification_pb2  # the shared enums
units = admin_unit_service_pb2_grpc.AdminUnitServiceStub(operator)
units.CreateUnit(admin_unit_service_pb2.CreateUnitRequest(
    request_id="py-unit-97", unit=admin_unit_pb2.AdminUnit(
        code="97", display_name="Tỉnh Thử Python", level=Level.UNIT_LEVEL_PROVINCE,
        kind=admin_unit_pb2.UNIT_KIND_PROVINCE, valid=SINCE)), timeout=T)
agencies = agency_pb2_grpc.AgencyServiceStub(operator)
for code in ("97001", "97002"):
    units.CreateUnit(admin_unit_service_pb2.CreateUnitRequest(
        request_id=f"py-unit-{code}", unit=admin_unit_pb2.AdminUnit(
            code=code, display_name=f"Xã Thử {code}", level=Level.UNIT_LEVEL_COMMUNE,
            kind=admin_unit_pb2.UNIT_KIND_COMMUNE, valid=SINCE,
            parents=[admin_unit_pb2.ParentLink(parent="units/97", valid=SINCE)])), timeout=T)
    agencies.CreateAgency(agency_pb2.CreateAgencyRequest(agency=agency_pb2.Agency(
        code=f"PY.{code}", display_name=f"UBND {code}", unit=f"units/{code}")), timeout=T)
indicator_pb2_grpc.IndicatorServiceStub(operator).CreateIndicator(
    indicator_pb2.CreateIndicatorRequest(indicator=indicator_pb2.Indicator(
        code="PY.SO_LOP", display_name_vi="Số lớp tập huấn", valid=SINCE,
        pillar=Level.PILLAR_DIGITAL_HUMAN_RESOURCES, value_type=indicator_pb2.VALUE_TYPE_COUNT,
        aggregation=indicator_pb2.AGGREGATION_RULE_SUM)), timeout=T)
reporting_schedule_pb2_grpc.ReportingScheduleServiceStub(operator).CreateSchedule(
    sched.CreateScheduleRequest(schedule_id="py-thang", schedule=sched.ReportingSchedule(
        display_name="Báo cáo hằng tháng", indicators=[INDICATOR],
        reporting_level=Level.UNIT_LEVEL_COMMUNE, period_type=period_pb2.PERIOD_TYPE_MONTH,
        deadline=sched.DeadlineRule(submit_days_after_window=1, forward_days_after_window=2),
        lock_days_after_deadline=4000, valid=SINCE)), timeout=T)
print("python: ok: registry: province 97, communes 97001 and 97002, agencies, indicator, schedule")


def batch(request_id, unit, count):
    return ing.SubmitValuesRequest(
        options=ing.BatchOptions(schedule=SCHEDULE, request_id=request_id),
        rows=[data_value_pb2.ValueRow(unit=unit, indicator=INDICATOR, period=period,
                                      value=value_pb2.Value(count=count))])


# Each commune reports for itself; the same request_id again is a replay.
Ingestion = ingestion_service_pb2_grpc.IngestionServiceStub
submit = Ingestion(channel("agencies/PY.97001")).SubmitValues
first = submit(batch("py-batch-97001", "units/97001", 3), timeout=T)
check(first.created == 1 and not first.replayed and first.last_sequence > 0,
      "SubmitValues created 1")
again = submit(batch("py-batch-97001", "units/97001", 3), timeout=T)
check(again.replayed and again.created == 1 and again.last_sequence == first.last_sequence,
      "the same request_id is replayed, not written twice")
other = Ingestion(channel("agencies/PY.97002")).SubmitValues(
    batch("py-batch-97002", "units/97002", 4), timeout=T)
check(other.created == 1, "the second commune's SubmitValues created 1")

# Rejections carry their code and a google.rpc.Status with the reason.
code, status = rejection(submit, batch("py-batch-foreign", "units/97002", 1))
reason = detail(status, error_details_pb2.ErrorInfo()).reason
check(code == grpc.StatusCode.PERMISSION_DENIED and reason == "NOT_OWN_UNIT",
      f"a write for another unit: {code.name} {reason}")
code, status = rejection(submit, batch("py-batch-invalid", "units/97001", -1))
reason = detail(status, error_details_pb2.ErrorInfo()).reason
violation = detail(status, error_details_pb2.BadRequest()).field_violations[0]
check(code == grpc.StatusCode.INVALID_ARGUMENT and reason == "INVALID_ROWS"
      and violation.field == "rows[0].value"
      and violation.description.startswith("VALUE_TYPE_MISMATCH"),
      f"a negative count: {code.name} {reason}, {violation.field}: {violation.description}")

# The province's rollup once the feed has reached both writes: 3 + 4.
rollup = reporting_service_pb2_grpc.ReportingServiceStub(operator).GetRollup(
    reporting_service_pb2.GetRollupRequest(
        unit="units/97", indicator=INDICATOR, period=period,
        min_sequence=max(first.last_sequence, other.last_sequence)), timeout=30)
check(rollup.value.count == 7 and rollup.contributing_units == 2, f"GetRollup units/97 {period}: "
      f"{rollup.value.count} from {rollup.contributing_units} communes")
print("python: PASS")
