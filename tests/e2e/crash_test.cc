// Every service killed with SIGKILL under load, again and again: lienthongd
// runs as one process per service, a commune keeps submitting values and
// sending documents and an operator keeps defining indicators, and each
// service in turn is killed mid-stream and restarted on the same data. After
// every restart each client re-sends what it never saw acknowledged, with the
// same request_id, and then:
//   - every acknowledged indicator, value and document is there exactly once;
//   - the change feed runs 1..head without a gap or a repeat;
//   - the recipient's inbox holds every document sent, once, in order;
//   - reporting's rollups equal the values (the feed followed without a gap
//     or a double count, across its own and ingestion's crashes);
//   - each process's audit log still verifies.
// Besides the kills at random moments, each writing service is also made to
// kill itself at the worst one (--testing_crash_after): right after a write
// is committed and before it is acknowledged.

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "lienthong/audit/v1/audit_service.grpc.pb.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"
#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/agency.grpc.pb.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"
#include "lienthong/reporting/v1/reporting_service.grpc.pb.h"
#include "tests/e2e/calls.h"
#include "tests/e2e/cluster.h"

namespace lienthong::e2e {
namespace {

constexpr char kOperator[] = "OP.01";
constexpr char kAuditor[] = "AU.01";
constexpr char kSender[] = "000.01.01.H01";     // system of commune 00097
constexpr char kRecipient[] = "000.01.02.H01";  // system of commune 00098
constexpr int kIndicators = 10;                 // a value batch: one month
constexpr int kAcksPerCycle = 40;               // of the victim's load
constexpr int kRounds = 3;                      // kills of each service

std::string Month(int n) {  // months since 2001-01
  return absl::StrFormat("%04d-M%02d", 2001 + n / 12, 1 + n % 12);
}

// One kind of write a client keeps making: item n is sent until acknowledged,
// always with the same request_id; `acked` names what was acknowledged.
struct Load {
  std::string service;  // where the writes go
  std::string method;   // what writes, "/package.Service/Method"
  // Sends item n over `channel`; sets the name of what it created.
  std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, int n,
                             std::string* name)>
      send;
  std::string agency, role;

  absl::Mutex mutex;
  std::vector<std::string> acked ABSL_GUARDED_BY(mutex);
  std::string last_error ABSL_GUARDED_BY(mutex);  // why Run stopped

  int Acked() {
    absl::MutexLock lock(&mutex);
    return static_cast<int>(acked.size());
  }
  // Sends items until told to stop or refused (the server died, or one it
  // needs did); the item refused stays unacknowledged.
  void Run(Cluster& cluster, const std::atomic<bool>& stop) {
    std::shared_ptr<grpc::Channel> channel =
        cluster.Channel(service, agency, role);
    {
      absl::MutexLock lock(&mutex);
      last_error.clear();
    }
    while (!stop.load()) {
      int n = Acked();
      std::string name;
      grpc::Status status = send(channel, n, &name);
      absl::MutexLock lock(&mutex);
      if (!status.ok()) {
        last_error = Describe(status);
        return;
      }
      acked.push_back(name);
    }
  }
  // After a restart: re-sends the unacknowledged item until it is.
  void Settle(Cluster& cluster) {
    std::shared_ptr<grpc::Channel> channel =
        cluster.Channel(service, agency, role, /*retry=*/true);
    int n = Acked();
    grpc::Status status;
    // Each attempt already retries UNAVAILABLE with gRPC's backoff (about
    // 3 s); peers reconnect to a restarted service within 2 s.
    for (int attempt = 0; attempt < 20; ++attempt) {
      std::string name;
      status = send(channel, n, &name);
      if (status.ok()) {
        absl::MutexLock lock(&mutex);
        acked.push_back(name);
        return;
      }
    }
    ADD_FAILURE() << service << " item " << n
                  << " never acknowledged: " << Describe(status) << "\n"
                  << cluster.LogTail(service);
  }
};

// The CRASH.R indicators the registry holds.
std::multiset<std::string> StoredIndicators(Cluster& cluster) {
  auto stub = registry::v1::IndicatorService::NewStub(
      cluster.Channel("registry", kOperator, "operator", true));
  std::multiset<std::string> stored;
  registry::v1::ListIndicatorsRequest request;
  request.set_page_size(1000);
  do {
    registry::v1::ListIndicatorsResponse response;
    grpc::Status status =
        stub->ListIndicators(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    for (const auto& indicator : response.indicators()) {
      if (absl::StartsWith(indicator.code(), "CRASH.R")) {
        stored.insert(indicator.name());
      }
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return stored;
}

// The values ingestion holds, by name.
std::map<std::string, int64_t> StoredValues(Cluster& cluster) {
  auto stub = ingestion::v1::IngestionService::NewStub(
      cluster.Channel("ingestion", kOperator, "operator", true));
  std::map<std::string, int64_t> stored;
  ingestion::v1::ListValuesRequest request;
  request.set_page_size(1000);
  do {
    ingestion::v1::ListValuesResponse response;
    grpc::Status status = stub->ListValues(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    for (const auto& value : response.values()) {
      EXPECT_TRUE(stored.emplace(value.name(), value.value().count()).second)
          << value.name() << " listed twice";
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return stored;
}

// The documents in the recipient's inbox, oldest first.
std::vector<std::string> Inbox(Cluster& cluster) {
  auto stub = documents::v1::DocumentService::NewStub(
      cluster.Channel("documents", kRecipient, "system", true));
  std::vector<std::string> inbox;
  documents::v1::ListInboxRequest request;
  request.set_recipient(absl::StrCat("agencies/", kRecipient));
  request.set_page_size(1000);
  do {
    documents::v1::ListInboxResponse response;
    grpc::Status status = stub->ListInbox(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    for (const auto& entry : response.entries()) {
      inbox.push_back(entry.document().name());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return inbox;
}

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster =
        Cluster::Create(std::string(std::getenv("TEST_TMPDIR")) + "/crash",
                        std::string(std::getenv("TEST_SRCDIR")) +
                            "/lienthong/services/lienthongd/lienthongd");
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    absl::Status started = cluster_->StartAll();
    ASSERT_TRUE(started.ok()) << started;
    auto signer = cluster_->pki().Issue(kSender, "system");
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
    DefineRegistry();
  }

  // Units 01 > {00097, 00098}, their agencies, the indicators and schedule.
  void DefineRegistry() {
    auto channel = cluster_->Channel("registry", kOperator, "operator", true);
    auto units = registry::v1::AdminUnitService::NewStub(channel);
    for (const auto& [code, level, kind, parents] : std::vector<
             std::tuple<std::string, std::string, std::string, std::string>>{
             {"01", "PROVINCE", "CENTRAL_CITY", ""},
             {"00097", "COMMUNE", "WARD",
              R"(, "parents": [{"parent": "units/01", "valid": {"start":
                   {"year": 2000, "month": 1, "day": 1}}}])"},
             {"00098", "COMMUNE", "WARD",
              R"(, "parents": [{"parent": "units/01", "valid": {"start":
                   {"year": 2000, "month": 1, "day": 1}}}])"}}) {
      registry::v1::AdminUnit created;
      grpc::Status status = units->CreateUnit(
          Context().get(),
          FromJson<registry::v1::CreateUnitRequest>(absl::StrCat(
              R"({"unit": {"code": ")", code, R"(", "displayName": "Unit )",
              code, R"(", "level": "UNIT_LEVEL_)", level,
              R"(", "kind": "UNIT_KIND_)", kind,
              R"(", "valid": {"start": {"year": 2000, "month": 1, "day": 1}})",
              parents, "}}")),
          &created);
      ASSERT_TRUE(status.ok()) << code << ": " << Describe(status);
    }
    auto agencies = registry::v1::AgencyService::NewStub(channel);
    for (const auto& [code, unit] : std::vector<std::pair<std::string, int>>{
             {kOperator, 1}, {kAuditor, 1}, {kSender, 97}, {kRecipient, 98}}) {
      registry::v1::Agency created;
      grpc::Status status = agencies->CreateAgency(
          Context().get(),
          FromJson<registry::v1::CreateAgencyRequest>(absl::StrFormat(
              R"({"agency": {"code": "%s", "displayName": "Agency %s",
                             "unit": "units/%s"}})",
              code, code, unit == 1 ? "01" : absl::StrFormat("%05d", unit))),
          &created);
      ASSERT_TRUE(status.ok()) << code << ": " << Describe(status);
    }
    auto indicators = registry::v1::IndicatorService::NewStub(channel);
    std::string schedule_indicators;
    for (int i = 0; i < kIndicators; ++i) {
      registry::v1::Indicator created;
      grpc::Status status = indicators->CreateIndicator(
          Context().get(), NewIndicator(i, "I"), &created);
      ASSERT_TRUE(status.ok()) << Describe(status);
      absl::StrAppend(&schedule_indicators, i == 0 ? "" : ", ",
                      "\"indicators/CRASH.I", i, "\"");
    }
    auto schedules = registry::v1::ReportingScheduleService::NewStub(channel);
    registry::v1::ReportingSchedule created;
    grpc::Status status = schedules->CreateSchedule(
        Context().get(),
        FromJson<registry::v1::CreateScheduleRequest>(absl::StrCat(
            R"({"scheduleId": "crash", "schedule": {
                  "displayName": "crash test",
                  "reportingLevel": "UNIT_LEVEL_COMMUNE",
                  "periodType": "PERIOD_TYPE_MONTH",
                  "deadline": {"forwardDaysAfterWindow": 1,
                               "submitDaysAfterWindow": 1},
                  "lockDaysAfterDeadline": 36500,
                  "valid": {"start": {"year": 2000, "month": 1, "day": 1}},
                  "indicators": [)",
            schedule_indicators, "]}}")),
        &created);
    ASSERT_TRUE(status.ok()) << Describe(status);
  }

  static registry::v1::CreateIndicatorRequest NewIndicator(
      int n, const std::string& series) {
    return FromJson<registry::v1::CreateIndicatorRequest>(absl::StrFormat(
        R"({"requestId": "crash-indicator-%s%d",
            "indicator": {"code": "CRASH.%s%d", "displayNameVi": "Chỉ số %d",
                          "pillar": "PILLAR_DIGITAL_DATA",
                          "valueType": "VALUE_TYPE_COUNT",
                          "aggregation": "AGGREGATION_RULE_SUM",
                          "valid": {"start": {"year": 2000, "month": 1,
                                              "day": 1}}}})",
        series, n, series, n, n));
  }

  // Batch n: month n of every CRASH.I indicator, value 10n + indicator.
  static ingestion::v1::SubmitValuesRequest Batch(int n) {
    ingestion::v1::SubmitValuesRequest request;
    request.mutable_options()->set_schedule("schedules/crash");
    request.mutable_options()->set_request_id(absl::StrCat("crash-batch-", n));
    for (int i = 0; i < kIndicators; ++i) {
      ingestion::v1::ValueRow* row = request.add_rows();
      row->set_unit("units/00097");
      row->set_indicator(absl::StrCat("indicators/CRASH.I", i));
      row->set_period(Month(n));
      row->mutable_value()->set_count(n * kIndicators + i);
    }
    return request;
  }

  // Document n from the sender to the recipient, signed by the sender.
  documents::v1::SendDocumentRequest Document(int n) const {
    documents::v1::SendDocumentRequest request;
    request.set_request_id(absl::StrCat("crash-document-", n));
    documents::v1::Document& document = *request.mutable_document();
    documents::v1::MessageHeader& header = *document.mutable_header();
    header.mutable_from()->set_organ_id(kSender);
    header.mutable_from()->set_organ_name("UBND phường 00097");
    documents::v1::Organization* to = header.add_to();
    to->set_organ_id(kRecipient);
    to->set_organ_name("UBND phường 00098");
    header.mutable_code()->set_code_number(absl::StrCat(n + 1));
    header.mutable_code()->set_code_notation("BC-UBND");
    header.mutable_promulgation_info()->set_place("Hà Nội");
    header.mutable_promulgation_info()->set_promulgation_date("2025/07/01");
    header.mutable_document_type()->set_type(1);
    header.mutable_document_type()->set_type_name("Báo cáo");
    header.set_subject(absl::StrCat("Báo cáo số ", n + 1));
    header.mutable_signer_info()->set_competence("TM. Ủy ban nhân dân");
    header.mutable_signer_info()->set_position("Chủ tịch");
    header.mutable_signer_info()->set_full_name("Nguyễn Văn A");
    header.set_document_id(
        absl::StrCat(kSender, ",2025/07/01,", n + 1, "/BC-UBND"));
    document.set_business_type(documents::v1::BUSINESS_TYPE_NEW);
    Sign(signer_, document);
    return request;
  }

  // The three loads: registry, ingestion and documents writes.
  void DefineLoads() {
    registry_.service = "registry";
    registry_.method =
        "/lienthong.registry.v1.IndicatorService/CreateIndicator";
    registry_.agency = kOperator;
    registry_.role = "operator";
    registry_.send = [](const std::shared_ptr<grpc::Channel>& channel, int n,
                        std::string* name) {
      registry::v1::Indicator created;
      grpc::Status status =
          registry::v1::IndicatorService::NewStub(channel)->CreateIndicator(
              Context().get(), NewIndicator(n, "R"), &created);
      *name = created.name();
      return status;
    };
    values_.service = "ingestion";
    values_.method = "/lienthong.ingestion.v1.IngestionService/SubmitValues";
    values_.agency = kSender;
    values_.role = "system";
    values_.send = [](const std::shared_ptr<grpc::Channel>& channel, int n,
                      std::string* name) {
      ingestion::v1::ImportSummary summary;
      grpc::Status status =
          ingestion::v1::IngestionService::NewStub(channel)->SubmitValues(
              Context().get(), Batch(n), &summary);
      if (status.ok() &&
          summary.created() + summary.updated() + summary.unchanged() !=
              kIndicators) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            summary.ShortDebugString());
      }
      *name = Month(n);
      return status;
    };
    documents_.service = "documents";
    documents_.method = "/lienthong.documents.v1.DocumentService/SendDocument";
    documents_.agency = kSender;
    documents_.role = "system";
    documents_.send = [this](const std::shared_ptr<grpc::Channel>& channel,
                             int n, std::string* name) {
      documents::v1::Document sent;
      grpc::Status status =
          documents::v1::DocumentService::NewStub(channel)->SendDocument(
              Context().get(), Document(n), &sent);
      *name = sent.name();
      return status;
    };
  }

  // The load runs until the victim's load has kAcksPerCycle more
  // acknowledgements (the values', for reporting, which only reads); then the
  // victim is killed, the load stopped, the victim restarted and what was in
  // flight re-sent.
  void Cycle(const std::string& victim) {
    Load* watched = victim == "registry"    ? &registry_
                    : victim == "documents" ? &documents_
                                            : &values_;
    int goal = watched->Acked() + kAcksPerCycle;
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (Load* load : {&registry_, &values_, &documents_}) {
      writers.emplace_back([&, load] { load->Run(*cluster_, stop); });
    }
    bool reached;
    {
      absl::MutexLock lock(&watched->mutex);
      auto done = [watched, goal]()
                      ABSL_EXCLUSIVE_LOCKS_REQUIRED(watched->mutex) {
                        return static_cast<int>(watched->acked.size()) >= goal;
                      };
      reached = watched->mutex.AwaitWithTimeout(absl::Condition(&done),
                                                absl::Seconds(120));
      if (!reached) {
        ADD_FAILURE() << "the " << watched->service
                      << " load stalled: " << watched->last_error;
      }
    }
    absl::Status killed = cluster_->Kill(victim);
    stop = true;
    for (std::thread& writer : writers) writer.join();
    ASSERT_TRUE(killed.ok()) << killed;
    absl::Status restarted = cluster_->Start(victim);
    ASSERT_TRUE(restarted.ok()) << restarted;
    for (Load* load : {&registry_, &values_, &documents_}) {
      load->Settle(*cluster_);
    }
  }

  // The victim is restarted to kill itself right after committing the
  // kAcksPerCycle-th write of its load, before acknowledging it: that write is
  // then stored though its client saw it fail, and re-sending it must not
  // store it again.
  void CommitThenDieCycle(Load& victim) {
    absl::StatusOr<int> stopped = cluster_->Stop(victim.service);
    ASSERT_TRUE(stopped.ok()) << stopped.status();
    absl::Status started = cluster_->Start(
        victim.service, {absl::StrCat("--testing_crash_after=", victim.method,
                                      ":", kAcksPerCycle)});
    ASSERT_TRUE(started.ok()) << started;
    int acked_before = victim.Acked();
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (Load* load : {&registry_, &values_, &documents_}) {
      writers.emplace_back([&, load] { load->Run(*cluster_, stop); });
    }
    absl::StatusOr<int> ended =
        cluster_->Wait(victim.service, absl::Minutes(2));
    stop = true;
    for (std::thread& writer : writers) writer.join();
    ASSERT_TRUE(ended.ok()) << ended.status();
    EXPECT_EQ(*ended, 128 + SIGKILL);
    EXPECT_EQ(victim.Acked(), acked_before + kAcksPerCycle - 1);
    started = cluster_->Start(victim.service);
    ASSERT_TRUE(started.ok()) << started;
    // Committed, not acknowledged.
    size_t stored = victim.service == "registry"
                        ? StoredIndicators(*cluster_).size()
                    : victim.service == "ingestion"
                        ? StoredValues(*cluster_).size() / kIndicators
                        : Inbox(*cluster_).size();
    EXPECT_EQ(stored, static_cast<size_t>(victim.Acked() + 1));
    for (Load* load : {&registry_, &values_, &documents_}) {
      load->Settle(*cluster_);
    }
  }

  std::unique_ptr<Cluster> cluster_;
  pki::IssuedCertificate signer_;
  Load registry_, values_, documents_;
};

// The CRASH.R indicators the registry holds: exactly those acknowledged.
void ExpectIndicators(Cluster& cluster, Load& load) {
  std::multiset<std::string> stored = StoredIndicators(cluster);
  absl::MutexLock lock(&load.mutex);
  EXPECT_EQ(stored,
            std::multiset<std::string>(load.acked.begin(), load.acked.end()));
}

// Values: each acknowledged batch's rows once, nothing else; the feed 1..head
// without gaps or repeats. Returns the head.
int64_t ExpectValuesAndFeed(Cluster& cluster, Load& load) {
  std::map<std::string, int64_t> stored = StoredValues(cluster);
  int batches = load.Acked();
  EXPECT_EQ(stored.size(), static_cast<size_t>(batches * kIndicators));
  for (int n = 0; n < batches; ++n) {
    for (int i = 0; i < kIndicators; ++i) {
      std::string name =
          absl::StrCat("dataValues/00097/CRASH.I", i, "/", Month(n));
      auto found = stored.find(name);
      if (found == stored.end()) {
        ADD_FAILURE() << "acknowledged " << name << " lost";
      } else {
        EXPECT_EQ(found->second, n * kIndicators + i) << name;
      }
    }
  }

  auto stub = ingestion::v1::IngestionService::NewStub(
      cluster.Channel("ingestion", kOperator, "operator", true));
  auto context = Context();
  ingestion::v1::WatchChangesRequest watch;
  watch.set_max_batch(10000);
  auto stream = stub->WatchChanges(context.get(), watch);
  ingestion::v1::WatchChangesResponse response;
  int64_t head = -1, last = 0;
  std::set<std::string> changed;
  while (last != head && stream->Read(&response)) {
    if (head < 0) head = response.head_sequence();
    for (const auto& change : response.changes()) {
      EXPECT_EQ(change.sequence(), last + 1) << "a gap or repeat in the feed";
      last = change.sequence();
      EXPECT_TRUE(changed.insert(change.value().name()).second)
          << change.value().name() << " changed twice";
    }
  }
  context->TryCancel();
  EXPECT_EQ(last, head);
  EXPECT_EQ(changed.size(), stored.size());
  return head;
}

// The recipient's inbox: the acknowledged documents, once each, in order.
void ExpectInbox(Cluster& cluster, Load& load) {
  std::vector<std::string> inbox = Inbox(cluster);
  absl::MutexLock lock(&load.mutex);
  EXPECT_EQ(inbox, load.acked);
}

// The province's rollups, once reporting has followed the feed to `head`:
// each month's value of each indicator, counted once.
void ExpectRollups(Cluster& cluster, int batches, int64_t head) {
  auto stub = reporting::v1::ReportingService::NewStub(
      cluster.Channel("reporting", kOperator, "operator", true));
  for (int first = 0; first < batches; first += 20) {
    reporting::v1::QueryRollupsRequest request;
    request.add_units("units/01");
    for (int i = 0; i < kIndicators; ++i) {
      request.add_indicators(absl::StrCat("indicators/CRASH.I", i));
    }
    for (int n = first; n < std::min(batches, first + 20); ++n) {
      request.add_periods(Month(n));
    }
    request.set_min_sequence(head);
    reporting::v1::QueryRollupsResponse response;
    grpc::Status status;
    for (int attempt = 0; attempt < 3; ++attempt) {  // each waits up to 10 s
      status = stub->QueryRollups(Context().get(), request, &response);
      if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    }
    ASSERT_TRUE(status.ok()) << Describe(status) << "\n"
                             << cluster.LogTail("reporting");
    ASSERT_EQ(response.rollups_size(), request.periods_size() * kIndicators);
    for (const auto& rollup : response.rollups()) {
      EXPECT_GE(rollup.as_of_sequence(), head);
      int indicator = 0;
      ASSERT_EQ(std::sscanf(rollup.indicator().c_str(), "indicators/CRASH.I%d",
                            &indicator),
                1);
      int n =
          (rollup.period().year() - 2001) * 12 + rollup.period().number() - 1;
      EXPECT_EQ(rollup.value().count(), n * kIndicators + indicator)
          << rollup.ShortDebugString();
    }
  }
}

// Each process's audit log, hash chain and all, after the kills.
void ExpectAuditIntact(Cluster& cluster) {
  for (const std::string& service : Cluster::Services()) {
    auto stub = audit::v1::AuditService::NewStub(
        cluster.Channel(service, kAuditor, "auditor", true));
    audit::v1::VerifyAuditLogResponse response;
    grpc::Status status = stub->VerifyAuditLog(
        Context().get(), audit::v1::VerifyAuditLogRequest(), &response);
    ASSERT_TRUE(status.ok()) << service << ": " << Describe(status);
    EXPECT_TRUE(response.intact()) << service << ": " << response.failure();
    // Reporting serves only reads, which are not audited.
    if (service != "reporting") {
      EXPECT_GT(response.records_checked(), 0) << service;
    }
  }
}

TEST_F(CrashTest, EveryServiceKilledUnderLoadLosesAndRepeatsNothing) {
  DefineLoads();
  auto expect_all = [&] {
    ExpectIndicators(*cluster_, registry_);
    int64_t head = ExpectValuesAndFeed(*cluster_, values_);
    ExpectInbox(*cluster_, documents_);
    ExpectRollups(*cluster_, values_.Acked(), head);
  };
  int kills = 0;
  for (int round = 0; round < kRounds; ++round) {
    for (const std::string& victim : Cluster::Services()) {
      SCOPED_TRACE(absl::StrCat("round ", round, ", killed ", victim));
      Cycle(victim);
      ++kills;
      expect_all();
      if (HasFatalFailure()) return;
    }
    for (Load* victim : {&registry_, &values_, &documents_}) {
      SCOPED_TRACE(absl::StrCat("round ", round, ", ", victim->service,
                                " died between commit and acknowledgement"));
      CommitThenDieCycle(*victim);
      ++kills;
      expect_all();
      if (HasFatalFailure()) return;
    }
  }
  ExpectAuditIntact(*cluster_);
  std::printf(
      "%d kills; acknowledged: %d indicators, %d value batches (%d values), "
      "%d documents\n",
      kills, registry_.Acked(), values_.Acked(), values_.Acked() * kIndicators,
      documents_.Acked());
  // And every process still shuts down cleanly.
  for (const std::string& service : Cluster::Services()) {
    absl::StatusOr<int> stopped = cluster_->Stop(service);
    ASSERT_TRUE(stopped.ok()) << stopped.status();
    EXPECT_EQ(*stopped, 0) << service << "\n" << cluster_->LogTail(service);
  }
}

}  // namespace
}  // namespace lienthong::e2e
