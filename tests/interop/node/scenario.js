// The public gRPC contract from Node, over mutual TLS, against a live daemon:
// @grpc/grpc-js with the .proto files loaded at run time by @grpc/proto-loader.
// Usage: node scenario.js ADDRESS CERTS_DIR PERIOD PROTOS_DIR
// CERTS_DIR is as lt-certs writes it, with agencies NODE.98001 and NODE.98002.
// Province 98 is no real one, and the Python client uses 97: both run against
// one daemon, national units loaded or not.
'use strict';
const fs = require('fs');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const [address, certs, period, protos] = process.argv.slice(2);
// google/rpc and grpc/health/v1 from Debian's golang-github-gogo-googleapis-dev
// and grpc-proto (scripts/install); google/protobuf ships with protobufjs.
const includeDirs = [protos, '/usr/share/gocode/src/github.com/gogo/googleapis',
  '/usr/share/grpc-proto'];
const api = grpc.loadPackageDefinition(protoLoader.loadSync([
  'lienthong/registry/v1/admin_unit_service.proto', 'lienthong/registry/v1/agency.proto',
  'lienthong/registry/v1/indicator.proto', 'lienthong/registry/v1/reporting_schedule.proto',
  'lienthong/ingestion/v1/ingestion_service.proto',
  'lienthong/reporting/v1/reporting_service.proto', 'grpc/health/v1/health.proto',
], {includeDirs, longs: String, enums: String, defaults: true}));
// The error details trailer is a serialized google.rpc.Status: decoded with
// protobufjs, which proto-loader's definitions do not do.
const rpcTypes = new protobuf.Root();
rpcTypes.resolvePath = (origin, target) => includeDirs.map((d) => `${d}/${target}`)
  .find((path) => fs.existsSync(path)) || target;
rpcTypes.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);

const SINCE = {start: {year: 2021, month: 1, day: 1}};
const INDICATOR = 'indicators/NODE.SO_LOP';
const SCHEDULE = 'schedules/node-thang';

function check(ok, what) {
  if (!ok) { console.error(`node: FAIL: ${what}`); process.exit(1); }
  console.log(`node: ok: ${what}`);
}

// A client of `Service` presenting `identity`'s certificate ("operator" or
// "agencies/CODE"), whose methods return promises.
function client(Service, identity) {
  const read = (path) => fs.readFileSync(`${certs}/${path}`);
  // TLS server names may not be IP addresses (RFC 6066): verify the platform
  // certificate's other name, localhost, instead of 127.0.0.1.
  const stub = new Service(address, grpc.credentials.createSsl(
    read('ca.pem'), read(`${identity}.key`), read(`${identity}.pem`)),
  {'grpc.ssl_target_name_override': 'localhost'});
  return new Proxy(stub, {get: (target, method) => (request) => new Promise((resolve, reject) =>
    target[method](request, {deadline: Date.now() + 30000},
      (err, response) => (err ? reject(err) : resolve(response))))});
}

// The error a call must fail with, and the google.rpc details it carries by type.
async function rejection(promise) {
  const err = await promise.then(() => null, (e) => e);
  if (err === null) check(false, 'a call that must be refused was accepted');
  const [bin] = err.metadata.get('grpc-status-details-bin');
  const status = rpcTypes.lookupType('google.rpc.Status').decode(bin || Buffer.alloc(0));
  const details = {};
  for (const any of status.details) {
    // (protobufjs's bundled Any keeps the .proto field name type_url.)
    const name = any.type_url.split('/').pop();
    details[name] = rpcTypes.lookupType(name).decode(any.value);
  }
  return {code: err.code, details};
}

async function main() {
  const v1 = api.lienthong.registry.v1;
  const health = await client(api.grpc.health.v1.Health, 'operator').Check({});
  check(health.status === 'SERVING', 'health SERVING');

  // The registry, as operator: a province, two communes, their agencies, an
  // indicator and a monthly schedule.
  const units = client(v1.AdminUnitService, 'operator');
  const agencies = client(v1.AgencyService, 'operator');
  await units.CreateUnit({requestId: 'node-unit-98', unit: {code: '98',
    displayName: 'Tỉnh Thử Node', level: 'UNIT_LEVEL_PROVINCE', kind: 'UNIT_KIND_PROVINCE',
    valid: SINCE}});
  for (const code of ['98001', '98002']) {
    await units.CreateUnit({requestId: `node-unit-${code}`, unit: {code,
      displayName: `Xã Thử ${code}`, level: 'UNIT_LEVEL_COMMUNE', kind: 'UNIT_KIND_COMMUNE',
      valid: SINCE, parents: [{parent: 'units/98', valid: SINCE}]}});
    await agencies.CreateAgency({agency: {code: `NODE.${code}`, displayName: `UBND ${code}`,
      unit: `units/${code}`}});
  }
  await client(v1.IndicatorService, 'operator').CreateIndicator({indicator: {
    code: 'NODE.SO_LOP', displayNameVi: 'Số lớp tập huấn', valid: SINCE,
    pillar: 'PILLAR_DIGITAL_HUMAN_RESOURCES', valueType: 'VALUE_TYPE_COUNT',
    aggregation: 'AGGREGATION_RULE_SUM'}});
  await client(v1.ReportingScheduleService, 'operator').CreateSchedule({scheduleId: 'node-thang',
    schedule: {displayName: 'Báo cáo hằng tháng', indicators: [INDICATOR],
      reportingLevel: 'UNIT_LEVEL_COMMUNE', periodType: 'PERIOD_TYPE_MONTH',
      deadline: {submitDaysAfterWindow: 1, forwardDaysAfterWindow: 2},
      lockDaysAfterDeadline: 4000, valid: SINCE}});
  console.log('node: ok: registry: province 98, communes 98001 and 98002, agencies, ' +
    'indicator, schedule');

  // Each commune reports for itself; the same requestId again is a replay.
  const Ingestion = api.lienthong.ingestion.v1.IngestionService;
  const batch = (requestId, unit, count) => ({options: {schedule: SCHEDULE, requestId},
    rows: [{unit, indicator: INDICATOR, period, value: {count: String(count)}}]});
  const commune = client(Ingestion, 'agencies/NODE.98001');
  const first = await commune.SubmitValues(batch('node-batch-98001', 'units/98001', 5));
  check(first.created === 1 && !first.replayed && first.lastSequence !== '0',
    'SubmitValues created 1');
  const again = await commune.SubmitValues(batch('node-batch-98001', 'units/98001', 5));
  check(again.replayed && again.created === 1 && again.lastSequence === first.lastSequence,
    'the same requestId is replayed, not written twice');
  const other = await client(Ingestion, 'agencies/NODE.98002')
    .SubmitValues(batch('node-batch-98002', 'units/98002', 6));
  check(other.created === 1, "the second commune's SubmitValues created 1");

  // Rejections carry their code and a google.rpc.Status with the reason.
  let {code, details} = await rejection(
    commune.SubmitValues(batch('node-batch-foreign', 'units/98002', 1)));
  let reason = details['google.rpc.ErrorInfo']?.reason;
  check(code === grpc.status.PERMISSION_DENIED && reason === 'NOT_OWN_UNIT',
    `a write for another unit: ${grpc.status[code]} ${reason}`);
  ({code, details} = await rejection(
    commune.SubmitValues(batch('node-batch-invalid', 'units/98001', -1))));
  reason = details['google.rpc.ErrorInfo']?.reason;
  const violation = details['google.rpc.BadRequest']?.fieldViolations?.[0] || {};
  check(code === grpc.status.INVALID_ARGUMENT && reason === 'INVALID_ROWS' &&
    violation.field === 'rows[0].value' && /^VALUE_TYPE_MISMATCH/.test(violation.description),
  `a negative count: ${grpc.status[code]} ${reason}, ${violation.field}: ${violation.description}`);

  // The province's rollup once the feed has reached both writes: 5 + 6.
  const minSequence = String(Math.max(Number(first.lastSequence), Number(other.lastSequence)));
  const rollup = await client(api.lienthong.reporting.v1.ReportingService, 'operator')
    .GetRollup({unit: 'units/98', indicator: INDICATOR, period, minSequence});
  check(rollup.value.count === '11' && rollup.contributingUnits === 2,
    `GetRollup units/98 ${period}: ${rollup.value.count} from ` +
    `${rollup.contributingUnits} communes`);
  console.log('node: PASS');
}

main().then(() => process.exit(0), (err) => {
  console.error(`node: FAIL: ${err.stack || err}`);
  process.exit(1);
});
