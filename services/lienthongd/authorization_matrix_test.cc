// The authorization matrix: every RPC of every hosted service, called over
// mutual TLS as the target unit's own agency, a sibling, its parent, its
// child, another province, an operator, an auditor, a client without a
// certificate and one whose certificate has expired, each expected to be let
// through or refused. "Let through" means authorization passed: the call may
// still fail on its input (most requests here name nothing that exists, so
// nothing is changed); "refused" is PERMISSION_DENIED or UNAUTHENTICATED. A
// method without a row fails the test, so a new RPC cannot slip past the
// policy.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/key_material.h"
#include "libs/server/mtls.h"
#include "libs/testing/status_matchers.h"
#include "lienthong/audit/v1/audit_service.grpc.pb.h"
#include "services/lienthongd/daemon.h"
#include "services/lienthongd/generic_call.h"

namespace lienthong {
namespace {

namespace protobuf = ::google::protobuf;

absl::Time Utc(int year, int month, int day) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, 0, 0, 0),
                         absl::UTCTimeZone());
}

// Callers, in the order of the expectation strings below; the target is the
// district 911 and its agency AG.911.
enum CallerIndex {
  kOwn,        // AG.911, system of district 911
  kSibling,    // AG.912, system of district 912 (same province)
  kParent,     // AG.91, system of province 91
  kChild,      // AG.91101, system of commune 91101 under 911
  kOther,      // AG.92, system of province 92
  kOperator,   // OP.91, the province's operator
  kAuditor,    // AU.91, the province's auditor
  kAnonymous,  // no client certificate
  kExpired,    // AG.911 with a certificate expired by the server's clock
  kCallers
};
constexpr const char* kCallerNames[kCallers] = {
    "own",      "sibling", "parent",    "child",  "other province",
    "operator", "auditor", "anonymous", "expired"};

// Separates the request messages of a client stream.
constexpr char kNextMessage[] = "\n;;\n";

struct Row {
  std::string method;   // "package.Service/Method"
  std::string request;  // JSON of the request (messages split by kNextMessage)
  // One letter per caller: A let through, D refused.
  std::string expected;
};

// Let through for every authenticated caller.
constexpr char kEveryone[] = "AAAAAAADD";
// Operators only.
constexpr char kOperators[] = "DDDDDADDD";
// The unit itself, units above it, operators.
constexpr char kUnitReaders[] = "ADADDADDD";
// Agency systems and operators, for data not tied to a unit.
constexpr char kSystemsAndOperators[] = "AAAAAADDD";
// Agency systems.
constexpr char kSystems[] = "AAAAADDDD";
// The agency itself.
constexpr char kOwnOnly[] = "ADDDDDDDD";
// Auditors.
constexpr char kAuditors[] = "DDDDDDADD";

std::vector<Row> Matrix() {
  const std::string rows911 =
      R"("options": {"schedule": "schedules/mx", "requestId": "m-1"},
         "rows": [{"unit": "units/911", "indicator": "indicators/MX.SO",
                   "period": "2025-M06", "value": {"count": "1"}}])";
  const std::string query911 = R"({"units": ["units/911"],
      "indicators": ["indicators/MX.SO"], "periods": ["2025-M06"]})";
  const std::string none = std::string(64, '0');
  const std::string reg = "lienthong.registry.v1.";
  const std::string ing = "lienthong.ingestion.v1.IngestionService/";
  const std::string rep = "lienthong.reporting.v1.ReportingService/";
  const std::string doc = "lienthong.documents.v1.DocumentService/";
  return {
      // Registry reference data.
      {reg + "AdminUnitService/GetUnit", R"({"name": "units/911"})", kEveryone},
      {reg + "AdminUnitService/ListUnits", R"({"parent": "units/91"})",
       kEveryone},
      {reg + "AdminUnitService/ListAncestors", R"({"name": "units/91101"})",
       kEveryone},
      {reg + "AdminUnitService/ListSuccessionEvents",
       R"({"unit": "units/911"})", kEveryone},
      {reg + "AdminUnitService/GetUnitLineage", R"({"name": "units/911"})",
       kEveryone},
      {reg + "AgencyService/GetAgency", R"({"name": "agencies/AG.911"})",
       kEveryone},
      {reg + "AgencyService/ListAgencies", R"({"unit": "units/911"})",
       kEveryone},
      {reg + "IndicatorService/GetIndicator", R"({"name": "indicators/MX.SO"})",
       kEveryone},
      {reg + "IndicatorService/ListIndicators", "{}", kEveryone},
      {reg + "IndicatorService/ListIndicatorVersions",
       R"({"name": "indicators/MX.SO"})", kEveryone},
      {reg + "ReportingScheduleService/GetSchedule",
       R"({"name": "schedules/mx"})", kEveryone},
      {reg + "ReportingScheduleService/ListSchedules", "{}", kEveryone},
      {reg + "ReportingScheduleService/ResolvePeriod",
       R"({"schedule": "schedules/mx", "period": "2025-M06",
           "unit": "units/911"})",
       kEveryone},
      {reg + "PlanService/GetPlan", R"({"name": "plans/none"})", kEveryone},
      {reg + "PlanService/ListPlans", R"({"scopeUnit": "units/911"})",
       kEveryone},
      {reg + "PlanService/ListTargets", R"({"parent": "plans/none"})",
       kEveryone},
      {reg + "PlanService/GetTask", R"({"name": "plans/none/tasks/t"})",
       kEveryone},
      {reg + "PlanService/ListTasks", R"({"parent": "plans/none"})", kEveryone},
      {reg + "PlanService/ListTaskProgress",
       R"({"task": "plans/none/tasks/t"})", kEveryone},
      {reg + "RegistryWatchService/WatchRegistry", "{}", kEveryone},
      // Registry administration: each request is refused on its input once
      // let through, so nothing changes.
      {reg + "AdminUnitService/CreateUnit", R"({"unit": {"code": "91199"}})",
       kOperators},
      {reg + "AdminUnitService/UpdateUnit",
       R"({"unit": {"name": "units/99999"}, "updateMask": "displayName"})",
       kOperators},
      {reg + "AdminUnitService/MergeUnits", R"({"successor": {"code": "911"}})",
       kOperators},
      {reg + "AdminUnitService/SplitUnit", R"({"name": "units/99999"})",
       kOperators},
      {reg + "AdminUnitService/RenameUnit", R"({"name": "units/99999"})",
       kOperators},
      {reg + "AdminUnitService/ReparentUnit", R"({"name": "units/99999"})",
       kOperators},
      {reg + "AdminUnitService/ImportUnits", R"({"content": "bm90IGpzb24="})",
       kOperators},
      {reg + "AgencyService/CreateAgency",
       R"({"agency": {"code": "AG.X", "unit": "units/99999"}})", kOperators},
      {reg + "AgencyService/UpdateAgency",
       R"({"agency": {"name": "agencies/NONE"}, "updateMask": "displayName"})",
       kOperators},
      {reg + "AgencyService/DeleteAgency", R"({"name": "agencies/NONE"})",
       kOperators},
      {reg + "IndicatorService/CreateIndicator",
       R"({"indicator": {"code": "MX.BAD"}})", kOperators},
      {reg + "IndicatorService/UpdateIndicator",
       R"({"indicator": {"name": "indicators/NONE"}})", kOperators},
      {reg + "ReportingScheduleService/CreateSchedule",
       R"({"scheduleId": "bad"})", kOperators},
      {reg + "ReportingScheduleService/UpdateSchedule",
       R"({"schedule": {"name": "schedules/none"}})", kOperators},
      {reg + "PlanService/CreatePlan", R"({"planId": "bad"})", kOperators},
      {reg + "PlanService/UpdatePlan", R"({"plan": {"name": "plans/none"}})",
       kOperators},
      {reg + "PlanService/CreateTarget", R"({"parent": "plans/none"})",
       kOperators},
      {reg + "PlanService/UpdateTarget",
       R"({"target": {"name": "plans/none/targets/t"}})", kOperators},
      {reg + "PlanService/DeleteTarget", R"({"name": "plans/none/targets/t"})",
       kOperators},
      {reg + "PlanService/CreateTask", R"({"parent": "plans/none"})",
       kOperators},
      {reg + "PlanService/UpdateTask",
       R"({"task": {"name": "plans/none/tasks/t"}})", kOperators},
      // Task progress: the task's lead and coordinating agencies only.
      {reg + "PlanService/SubmitTaskProgress",
       R"({"task": "plans/mx/tasks/1", "update": {"percentComplete": 10}})",
       kOwnOnly},
      // Ingestion: writes for the caller's own unit only.
      {ing + "SubmitValues", absl::StrCat("{", rows911, "}"), kOwnOnly},
      {ing + "StreamValues",
       absl::StrCat(R"({"options": {"schedule": "schedules/mx",
           "requestId": "m-2"}})",
                    kNextMessage, R"({"rows": {"rows": [{"unit": "units/911",
           "indicator": "indicators/MX.SO", "period": "2025-M06",
           "value": {"count": "1"}}]}})"),
       kOwnOnly},
      {ing + "ImportBatches", absl::StrCat("{", rows911, "}"), kOwnOnly},
      // Reads of the unit's data.
      {ing + "ListValues", R"({"unit": "units/911"})", kUnitReaders},
      {ing + "ListValueRevisions", R"({"unit": "units/911"})", kUnitReaders},
      {ing + "WatchChanges", R"({"unit": "units/911"})", kUnitReaders},
      {ing + "GetChangeFeedPosition", "{}", kSystemsAndOperators},
      {rep + "GetRollup",
       R"({"unit": "units/911", "indicator": "indicators/MX.SO",
           "period": "2025-M06"})",
       kUnitReaders},
      {rep + "QueryRollups", query911, kUnitReaders},
      {rep + "WatchRollups", absl::StrCat(R"({"query": )", query911, "}"),
       kUnitReaders},
      {rep + "ExportRollups", absl::StrCat(R"({"query": )", query911, "}"),
       kUnitReaders},
      {rep + "GetCompleteness",
       R"({"schedule": "schedules/mx", "period": "2025-M06",
           "unit": "units/911"})",
       kUnitReaders},
      {rep + "ListDiscrepancies", R"({"unit": "units/911"})", kUnitReaders},
      {rep + "ListOverdueTasks", R"({"unit": "units/911"})", kUnitReaders},
      {rep + "ListTargetAchievements", R"({"plan": "plans/none"})",
       kSystemsAndOperators},
      {rep + "SummarizeTasks", R"({"plan": "plans/none"})",
       kSystemsAndOperators},
      // Documents: the agency's own sends, inbox and answers.
      {doc + "SendDocument",
       R"({"document": {"header": {"from": {"organId": "AG.911"},
           "to": [{"organId": "AG.91"}], "subject": "x"}}})",
       kOwnOnly},
      {doc + "ListDocuments", R"({"sender": "agencies/AG.911"})", kOwnOnly},
      {doc + "UpdateDeliveryStatus",
       R"({"document": "documents/none", "recipient": "agencies/AG.911",
           "state": "DELIVERY_STATE_ACCEPTED"})",
       kOwnOnly},
      {doc + "ListInbox", R"({"recipient": "agencies/AG.911"})", kOwnOnly},
      {doc + "WatchInbox", R"({"recipient": "agencies/AG.911"})", kOwnOnly},
      {doc + "AcknowledgeInbox",
       R"({"recipient": "agencies/AG.911", "entryIds": ["1"]})", kOwnOnly},
      // Documents: the exchange checks the parties (document_service_test).
      {doc + "GetDocument", R"({"name": "documents/none"})", kSystems},
      {doc + "GetReceipt",
       R"({"document": "documents/none", "recipient": "agencies/AG.911"})",
       kSystems},
      {doc + "GetEdxml", R"({"name": "documents/none"})", kSystems},
      {doc + "ImportEdxml", R"({"edxml": "PHg+PC94Pg=="})", kSystems},
      {doc + "UploadAttachment",
       absl::StrCat(R"({"metadata": {"sizeBytes": "1", "sha256": ")", none,
                    R"("}})"),
       kSystems},
      {doc + "DownloadAttachment",
       absl::StrCat(R"({"attachment": "attachments/)", none, R"("})"),
       kSystems},
      // The audit log.
      {"lienthong.audit.v1.AuditService/ListAuditRecords", "{}", kAuditors},
      {"lienthong.audit.v1.AuditService/VerifyAuditLog", "{}", kAuditors},
  };
}

// What became of one call: its code, or the code the first response reports
// (ImportBatches reports each batch's outcome in its response).
struct Outcome {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
};

bool IsWatch(const protobuf::MethodDescriptor* method) {
  return method->server_streaming() &&
         absl::StartsWith(method->name(), "Watch");
}

// Sends `request_json` as the one request message of `method` (any kind of
// streaming) and reads what comes back. A watch that is let through streams
// until the deadline, so its deadline is short.
Outcome CallMethod(grpc::Channel* channel,
                   const protobuf::MethodDescriptor* method,
                   const std::string& request_json) {
  protobuf::DynamicMessageFactory factory;
  std::vector<std::string> messages;
  for (const std::string& json :
       std::vector<std::string>(absl::StrSplit(request_json, kNextMessage))) {
    std::unique_ptr<protobuf::Message> request(
        factory.GetPrototype(method->input_type())->New());
    auto parsed = protobuf::util::JsonStringToMessage(json, request.get());
    EXPECT_TRUE(parsed.ok())
        << method->full_name() << ": " << parsed.ToString();
    messages.push_back(request->SerializeAsString());
  }

  GenericCallResult call = CallWithBytes(
      channel, method, messages,
      IsWatch(method) ? absl::Milliseconds(1500) : absl::Seconds(30));
  Outcome outcome;
  if (call.answered) {
    std::unique_ptr<protobuf::Message> reply(
        factory.GetPrototype(method->output_type())->New());
    if (reply->ParseFromString(call.first_response)) {
      const protobuf::FieldDescriptor* code =
          reply->GetDescriptor()->FindFieldByName("code");
      if (code != nullptr &&
          code->type() == protobuf::FieldDescriptor::TYPE_INT32) {
        outcome.code = static_cast<grpc::StatusCode>(
            reply->GetReflection()->GetInt32(*reply, code));
      }
    }
  }
  if (outcome.code == grpc::StatusCode::OK &&
      call.status.error_code() != grpc::StatusCode::CANCELLED) {
    outcome.code = call.status.error_code();
    outcome.message = call.status.error_message();
  }
  return outcome;
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/matrix";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/certs");
    LT_ASSERT_OK_AND_ASSIGN(ca_, pki::CertificateAuthority::Create(
                                     "Test CA", pki::KeyType::kEcdsaP256,
                                     Utc(2020, 1, 1), Utc(2040, 1, 1)));
    pki::LeafSpec platform = Leaf("OP.91", "system");
    platform.server = true;
    platform.dns_names = {"localhost"};
    platform.ip_addresses = {"127.0.0.1"};
    LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate issued,
                            ca_->Issue(platform));
    Write("ca.pem", *ca_->CertificatePem());
    Write("platform.pem", *pki::CertificateToPem(issued.certificate.get()));
    Write("platform.key", *pki::PrivateKeyToPem(issued.key.get()));

    DaemonOptions options;
    options.data_dir = dir_ + "/var";
    options.certs_dir = dir_ + "/certs";
    options.clock = &clock_;
    LT_ASSERT_OK_AND_ASSIGN(daemon_, Daemon::Start(options));
    Populate();

    const char* agencies[kCallers] = {"AG.911",   "AG.912", "AG.91",
                                      "AG.91101", "AG.92",  "OP.91",
                                      "AU.91",    nullptr,  "AG.911"};
    const char* roles[kCallers] = {"system",  "system", "system",
                                   "system",  "system", "operator",
                                   "auditor", nullptr,  "system"};
    for (int i = 0; i < kCallers; ++i) {
      MtlsFiles files;
      files.ca_pem = *ca_->CertificatePem();
      if (agencies[i] != nullptr) {
        pki::LeafSpec spec = Leaf(agencies[i], roles[i]);
        if (i == kExpired) spec.not_after = Utc(2025, 6, 30);
        LT_ASSERT_OK_AND_ASSIGN(pki::IssuedCertificate leaf, ca_->Issue(spec));
        files.cert_pem = *pki::CertificateToPem(leaf.certificate.get());
        files.key_pem = *pki::PrivateKeyToPem(leaf.key.get());
        channels_[i] = grpc::CreateChannel(daemon_->server().target(),
                                           MtlsChannelCredentials(files));
      } else {
        grpc::SslCredentialsOptions anonymous;
        anonymous.pem_root_certs = files.ca_pem;
        channels_[i] = grpc::CreateChannel(daemon_->server().target(),
                                           grpc::SslCredentials(anonymous));
      }
    }
  }

  static pki::LeafSpec Leaf(const std::string& agency,
                            const std::string& role) {
    pki::LeafSpec spec;
    spec.common_name = agency;
    spec.agency_code = agency;
    spec.role = role;
    spec.not_before = Utc(2020, 1, 1);
    spec.not_after = Utc(2040, 1, 1);
    return spec;
  }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/certs/" + name) << text;
  }

  // The hierarchy and reference data, written by the platform itself.
  void Populate() {
    auto internal = daemon_->server().InProcessChannel();
    auto create = [&](const std::string& method, const std::string& json) {
      const protobuf::MethodDescriptor* descriptor =
          protobuf::DescriptorPool::generated_pool()->FindMethodByName(method);
      ASSERT_NE(descriptor, nullptr) << method;
      Outcome outcome = CallMethod(internal.get(), descriptor, json);
      ASSERT_EQ(outcome.code, grpc::StatusCode::OK)
          << method << " " << json << ": " << outcome.message;
    };
    auto unit = [&](const std::string& code, const std::string& level,
                    const std::string& parent) {
      std::string parents =
          parent.empty()
              ? ""
              : absl::StrCat(R"(, "parents": [{"parent": "units/)", parent,
                             R"(", "valid": {"start": {"year": 2020,
                                             "month": 1, "day": 1}}}])");
      std::string kind = level == "PROVINCE"   ? "PROVINCE"
                         : level == "DISTRICT" ? "RURAL_DISTRICT"
                                               : "COMMUNE";
      create("lienthong.registry.v1.AdminUnitService.CreateUnit",
             absl::StrCat(R"({"unit": {"code": ")", code,
                          R"(", "displayName": "Unit )", code,
                          R"(", "level": "UNIT_LEVEL_)", level,
                          R"(", "kind": "UNIT_KIND_)", kind,
                          R"(", "valid": {"start": {"year": 2020, "month": 1,
                          "day": 1}})",
                          parents, "}}"));
    };
    unit("91", "PROVINCE", "");
    unit("92", "PROVINCE", "");
    unit("911", "DISTRICT", "91");
    unit("912", "DISTRICT", "91");
    unit("91101", "COMMUNE", "911");
    for (auto [code, unit_code] :
         std::vector<std::pair<std::string, std::string>>{{"AG.911", "911"},
                                                          {"AG.912", "912"},
                                                          {"AG.91", "91"},
                                                          {"AG.91101", "91101"},
                                                          {"AG.92", "92"},
                                                          {"OP.91", "91"},
                                                          {"AU.91", "91"}}) {
      create("lienthong.registry.v1.AgencyService.CreateAgency",
             absl::StrCat(R"({"agency": {"code": ")", code,
                          R"(", "displayName": "Agency )", code,
                          R"(", "unit": "units/)", unit_code, R"("}})"));
    }
    create("lienthong.registry.v1.IndicatorService.CreateIndicator",
           R"({"indicator": {"code": "MX.SO", "displayNameVi": "Số",
               "pillar": "PILLAR_DIGITAL_HUMAN_RESOURCES",
               "valueType": "VALUE_TYPE_COUNT",
               "aggregation": "AGGREGATION_RULE_SUM",
               "valid": {"start": {"year": 2021, "month": 1, "day": 1}}}})");
    create("lienthong.registry.v1.ReportingScheduleService.CreateSchedule",
           R"({"scheduleId": "mx", "schedule": {"displayName": "Tháng",
               "indicators": ["indicators/MX.SO"],
               "reportingLevel": "UNIT_LEVEL_DISTRICT",
               "periodType": "PERIOD_TYPE_MONTH",
               "deadline": {"submitDaysAfterWindow": 1,
                            "forwardDaysAfterWindow": 2},
               "lockDaysAfterDeadline": 4000,
               "valid": {"start": {"year": 2021, "month": 1, "day": 1}}}})");
    // A task led by AG.911, for progress reports.
    create("lienthong.registry.v1.PlanService.CreatePlan",
           R"({"planId": "mx", "plan": {"number": "1/KH-UBND",
               "title": "Kế hoạch", "issuingAgency": "agencies/AG.911",
               "scopeUnit": "units/911", "startYear": 2025, "endYear": 2025,
               "orientationYear": 2030}})");
    create("lienthong.registry.v1.PlanService.CreateTask",
           R"({"parent": "plans/mx", "task": {"number": "1",
               "title": "Nhiệm vụ", "requiredResult": "Báo cáo",
               "startDate": {"year": 2025, "month": 7, "day": 1},
               "dueDate": {"year": 2025, "month": 12, "day": 31},
               "leadAgency": "agencies/AG.911"}})");
  }

  void TearDown() override {
    if (daemon_ != nullptr) daemon_->Shutdown(absl::Seconds(1));
  }

  FakeClock clock_{Utc(2025, 7, 1)};
  std::string dir_;
  std::optional<pki::CertificateAuthority> ca_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<grpc::Channel> channels_[kCallers];
};

TEST_F(AuthorizationMatrixTest, EveryRpcAllowsAndRefusesTheRightCallers) {
  std::vector<Row> matrix = Matrix();
  std::map<std::string, const Row*> rows;
  for (const Row& row : matrix) {
    ASSERT_EQ(row.expected.size(), static_cast<size_t>(kCallers)) << row.method;
    ASSERT_TRUE(rows.emplace(row.method, &row).second) << row.method;
  }
  int checked = 0;
  for (const std::string& service_name : daemon_->service_names()) {
    const protobuf::ServiceDescriptor* service =
        protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service_name);
    ASSERT_NE(service, nullptr) << service_name;
    for (int m = 0; m < service->method_count(); ++m) {
      const protobuf::MethodDescriptor* method = service->method(m);
      const std::string key = absl::StrCat(service_name, "/", method->name());
      auto row = rows.find(key);
      ASSERT_NE(row, rows.end()) << key << " has no row in the matrix";
      for (int caller = 0; caller < kCallers; ++caller) {
        Outcome outcome =
            CallMethod(channels_[caller].get(), method, row->second->request);
        const bool refused =
            outcome.code == grpc::StatusCode::PERMISSION_DENIED ||
            outcome.code == grpc::StatusCode::UNAUTHENTICATED;
        EXPECT_EQ(refused ? 'D' : 'A', row->second->expected[caller])
            << key << " as " << kCallerNames[caller] << ": code "
            << outcome.code << " " << outcome.message;
        if (caller == kAnonymous || caller == kExpired) {
          EXPECT_EQ(outcome.code, grpc::StatusCode::UNAUTHENTICATED) << key;
        }
      }
      ++checked;
      rows.erase(row);
    }
  }
  EXPECT_GE(checked, 72);
  for (const auto& [method, row] : rows) {
    ADD_FAILURE() << method << " has a row but is not served";
  }
}

// Every mutating call, allowed or refused, lands in the hash-chained audit log
// with who, what, when, request_id and result; reads do not; auditors read it
// and its chain verifies.
TEST_F(AuthorizationMatrixTest, MutationsAreAuditedWithWhoWhatAndResult) {
  const protobuf::MethodDescriptor* submit =
      protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          "lienthong.ingestion.v1.IngestionService.SubmitValues");
  const protobuf::MethodDescriptor* get_unit =
      protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          "lienthong.registry.v1.AdminUnitService.GetUnit");
  auto values = [](const std::string& request_id) {
    return absl::StrCat(
        R"({"options": {"schedule": "schedules/mx", "requestId": ")",
        request_id, R"("}, "rows": [{"unit": "units/911",
        "indicator": "indicators/MX.SO", "period": "2025-M06",
        "value": {"count": "7"}}]})");
  };
  EXPECT_EQ(CallMethod(channels_[kOwn].get(), submit, values("audit-own")).code,
            grpc::StatusCode::OK);
  EXPECT_EQ(
      CallMethod(channels_[kSibling].get(), submit, values("audit-sib")).code,
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      CallMethod(channels_[kOwn].get(), get_unit, R"({"name": "units/911"})")
          .code,
      grpc::StatusCode::OK);

  auto audit = audit::v1::AuditService::NewStub(channels_[kAuditor]);
  audit::v1::ListAuditRecordsRequest list;
  list.set_page_size(1000);
  audit::v1::ListAuditRecordsResponse page;
  grpc::ClientContext list_context;
  ASSERT_TRUE(audit->ListAuditRecords(&list_context, list, &page).ok());
  const audit::v1::AuditRecord* own = nullptr;
  const audit::v1::AuditRecord* sibling = nullptr;
  std::string previous_hash;
  int64_t sequence = 0;
  for (const audit::v1::AuditRecord& record : page.records()) {
    EXPECT_EQ(record.sequence(), ++sequence);
    EXPECT_EQ(record.previous_hash(), previous_hash);
    previous_hash = record.hash();
    EXPECT_FALSE(absl::StrContains(record.method(), "/Get")) << record.method();
    if (record.request_id() == "audit-own") own = &record;
    if (record.request_id() == "audit-sib") sibling = &record;
  }
  // The fixture's set-up (units, agencies, ...) came first.
  EXPECT_GT(page.records_size(), 10);
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(own->agency(), "AG.911");
  EXPECT_EQ(own->role(), "system");
  EXPECT_EQ(own->method(),
            "/lienthong.ingestion.v1.IngestionService/SubmitValues");
  EXPECT_EQ(own->result_code(), "OK");
  EXPECT_EQ(own->request_sha256().size(), 64u);
  EXPECT_EQ(own->time().seconds(), absl::ToUnixSeconds(Utc(2025, 7, 1)));
  ASSERT_NE(sibling, nullptr);
  EXPECT_EQ(sibling->agency(), "AG.912");
  EXPECT_EQ(sibling->result_code(), "PERMISSION_DENIED");
  EXPECT_EQ(sibling->result_reason(), "NOT_OWN_UNIT");
  EXPECT_NE(sibling->request_sha256(), own->request_sha256());

  audit::v1::VerifyAuditLogRequest verify;
  verify.set_anchor_sequence(own->sequence());
  verify.set_anchor_hash(own->hash());
  audit::v1::VerifyAuditLogResponse verdict;
  grpc::ClientContext verify_context;
  ASSERT_TRUE(audit->VerifyAuditLog(&verify_context, verify, &verdict).ok());
  EXPECT_TRUE(verdict.intact()) << verdict.failure();
  EXPECT_EQ(verdict.head_sequence(), page.records_size());
  EXPECT_EQ(verdict.head_hash(), previous_hash);
}

// Reads of unit data follow the hierarchy as it stood on the data's day: once
// commune 91101 moves from district 911 to 912 (1 March 2025), 911 reads its
// February but not its March, 912 the reverse, and the province both. A read
// naming no period goes by today's arrangement.
TEST_F(AuthorizationMatrixTest, ReadsFollowTheHierarchyOfTheDataDay) {
  const protobuf::DescriptorPool* pool =
      protobuf::DescriptorPool::generated_pool();
  Outcome moved =
      CallMethod(daemon_->server().InProcessChannel().get(),
                 pool->FindMethodByName(
                     "lienthong.registry.v1.AdminUnitService.ReparentUnit"),
                 R"({"name": "units/91101", "parent": "units/912",
          "effectiveDate": {"year": 2025, "month": 3, "day": 1},
          "legalReference": "1/NQ-HĐND",
          "requestId": "5b1f2a3c-0d4e-4f60-8a7b-9c0d1e2f3a4b"})");
  ASSERT_EQ(moved.code, grpc::StatusCode::OK) << moved.message;

  struct Read {
    std::string method;
    std::string request;
    std::string expected;  // own (911), sibling (912), parent (91): A or D
  };
  const std::string ing = "lienthong.ingestion.v1.IngestionService.";
  const std::string rep = "lienthong.reporting.v1.ReportingService.";
  const std::vector<Read> reads = {
      {ing + "ListValues", R"({"unit": "units/91101", "period": "2025-M02"})",
       "ADA"},
      {ing + "ListValues", R"({"unit": "units/91101", "period": "2025-M03"})",
       "DAA"},
      {ing + "ListValues", R"({"unit": "units/91101"})", "DAA"},
      {ing + "ListValueRevisions",
       R"({"unit": "units/91101", "indicator": "indicators/MX.SO",
           "period": "2025-M02"})",
       "ADA"},
      {rep + "GetRollup",
       R"({"unit": "units/91101", "indicator": "indicators/MX.SO",
           "period": "2025-M02"})",
       "ADA"},
      {rep + "GetRollup",
       R"({"unit": "units/91101", "indicator": "indicators/MX.SO",
           "period": "2025-M03"})",
       "DAA"},
      // Regrouping March by February's arrangement would give 911 its
      // former commune's March: only the province may ask for it, for its
      // own district too.
      {rep + "GetRollup",
       R"({"unit": "units/91101", "indicator": "indicators/MX.SO",
           "period": "2025-M03",
           "hierarchyDate": {"year": 2025, "month": 2, "day": 1}})",
       "DDA"},
      {rep + "QueryRollups",
       R"({"units": ["units/911"], "includeChildren": true,
           "indicators": ["indicators/MX.SO"], "periods": ["2025-M03"],
           "hierarchyDate": {"year": 2025, "month": 2, "day": 1}})",
       "DDA"},
      {rep + "GetRollup",
       R"({"unit": "units/911", "indicator": "indicators/MX.SO",
           "period": "2025-M03",
           "hierarchyDate": {"year": 2025, "month": 3, "day": 31}})",
       "ADA"},
      {rep + "QueryRollups",
       R"({"units": ["units/91101"], "indicators": ["indicators/MX.SO"],
           "periods": ["2025-M02", "2025-M03"]})",
       "DDA"},
      {rep + "GetCompleteness",
       R"({"schedule": "schedules/mx", "period": "2025-M03",
           "unit": "units/91101"})",
       "DAA"},
      {rep + "ListDiscrepancies",
       R"({"unit": "units/91101", "period": "2025-M02"})", "ADA"},
  };
  const CallerIndex callers[] = {kOwn, kSibling, kParent};
  for (const Read& read : reads) {
    const protobuf::MethodDescriptor* method =
        pool->FindMethodByName(read.method);
    ASSERT_NE(method, nullptr) << read.method;
    for (int i = 0; i < 3; ++i) {
      Outcome outcome =
          CallMethod(channels_[callers[i]].get(), method, read.request);
      const bool refused = outcome.code == grpc::StatusCode::PERMISSION_DENIED;
      EXPECT_EQ(refused ? 'D' : 'A', read.expected[i])
          << read.method << " " << read.request << " as "
          << kCallerNames[callers[i]] << ": code " << outcome.code << " "
          << outcome.message;
      if (refused) {
        // OUTSIDE_CALLERS_UNIT's message naming the unit and day that
        // decided, or HIERARCHY_DATE_NOT_ALLOWED's.
        EXPECT_TRUE(
            absl::StrContains(outcome.message, "its descendants' (units/91") ||
            absl::StrContains(outcome.message, "leave hierarchy_date unset"))
            << outcome.message;
      } else {
        // Allowed reads answer (no data yet is still an answer).
        EXPECT_EQ(outcome.code, grpc::StatusCode::OK)
            << read.method << " " << read.request << " as "
            << kCallerNames[callers[i]] << ": " << outcome.message;
      }
    }
  }
}

}  // namespace
}  // namespace lienthong
