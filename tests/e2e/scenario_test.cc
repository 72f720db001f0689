// The platform's everyday scenario over four processes (registry, ingestion,
// documents, reporting), on port 0 with mutual TLS, the registry loaded with
// the national units and the seed plans. Before the 2025 reform, xã Tái Sơn
// (11098) lay in huyện Tứ Kỳ (298), tỉnh Hải Dương (30); seed 000 holds the
// commune's digital-transformation plan under the district's:
//   1. the commune pushes its May 2025 figures and sends the district a
//      signed report;
//   2. one service is SIGKILLed and restarted (each in turn, one per test);
//   3. the district takes the report from its inbox, reads who reported
//      (completeness) and pushes its own figures;
//   4. the province reads the rollups and the achievement of the district
//      plan's cascade against the seed targets.

#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "libs/metrics/http_get.h"
#include "libs/storage/pg_test_environment.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"
#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"
#include "lienthong/reporting/v1/reporting_service.grpc.pb.h"
#include "tests/e2e/calls.h"
#include "tests/e2e/cluster.h"

namespace lienthong::e2e {
namespace {

constexpr char kOperator[] = "OP.30";           // the platform's operator
constexpr char kCommune[] = "DEMO.11098.UBND";  // UBND xã Tái Sơn (seed 000)
constexpr char kDistrict[] = "DEMO.298.UBND";   // UBND huyện Tứ Kỳ
constexpr char kProvince[] = "DEMO.30.STTTT";   // Sở TT&TT Hải Dương
constexpr char kPeriod[] = "2025-M05";          // before the reform
constexpr char kCommuneSchedule[] = "schedules/e2e-xa-thang";
constexpr char kDistrictSchedule[] = "schedules/e2e-huyen-thang";
constexpr char kFilesProcessed[] = "indicators/CQS.HSCV_XU_LY_TREN_MANG";
constexpr char kMobileServices[] =
    "indicators/CQS.DVCTT_MUC_DO_4_DA_PHUONG_TIEN";
constexpr char kElectronicDocuments[] = "indicators/CQS.VB_DIEN_TU_GUI_NHAN";
constexpr char kCommunePlan[] = "plans/tai-son-cds-2021-2025";
constexpr char kDistrictPlan[] = "plans/tu-ky-160-kh-ubnd-2021";

common::v1::Value Ratio(double numerator, double denominator) {
  common::v1::Value value;
  value.mutable_ratio()->set_numerator(numerator);
  value.mutable_ratio()->set_denominator(denominator);
  return value;
}

std::string Runfile(const std::string& path) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/", path);
}

// A throwaway PostgreSQL server for the cases on that backend.
PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();

// The backend ("sqlite" or "postgres") and the service killed mid-scenario.
using Backend = std::string;
using Victim = std::string;

class ScenarioTest
    : public ::testing::TestWithParam<std::tuple<Backend, Victim>> {
 protected:
  void SetUp() override {
    const auto& [backend, victim] = GetParam();
    auto cluster =
        Cluster::Create(absl::StrCat(std::getenv("TEST_TMPDIR"), "/scenario-",
                                     backend, "-", victim),
                        Runfile("lienthong/services/lienthongd/lienthongd"));
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    // A database of its own for each process.
    for (const std::string& service : Cluster::Services()) {
      if (backend != "postgres") break;
      absl::StatusOr<std::string> database = kPostgres->CreateDatabase();
      ASSERT_TRUE(database.ok()) << database.status();
      databases_[service] = *database;
    }
    for (const std::string& service : Cluster::Services()) {
      absl::Status started = cluster_->Start(service, FlagsOf(service));
      ASSERT_TRUE(started.ok()) << started;
    }
    auto signer = cluster_->pki().Issue(kCommune, "system");
    ASSERT_TRUE(signer.ok()) << signer.status();
    signer_ = *std::move(signer);
  }

  // The registry loads the national units and the seed plans (again after a
  // restart, which changes nothing).
  std::vector<std::string> FlagsOf(const std::string& service) const {
    std::vector<std::string> flags;
    if (auto database = databases_.find(service);
        database != databases_.end()) {
      flags.push_back(absl::StrCat("--database=", database->second));
    }
    if (service == "registry") {
      flags.push_back(
          absl::StrCat("--load_units_dir=", Runfile("admin_units")));
      flags.push_back(absl::StrCat("--load_seeds_dir=",
                                   Runfile("lienthong/deploy/demo/seeds")));
    }
    return flags;
  }

  std::shared_ptr<grpc::Channel> As(const std::string& service,
                                    const std::string& agency) {
    return cluster_->Channel(service, agency,
                             agency == kOperator ? "operator" : "system",
                             /*retry=*/true);
  }

  // The national unit files place communes directly under their province;
  // the operator records three of huyện Tứ Kỳ's communes under it, from 2021
  // until the reform.
  void RecordDistrictMembership() {
    auto units =
        registry::v1::AdminUnitService::NewStub(As("registry", kOperator));
    for (const char* commune : {"11095", "11098", "11101"}) {
      registry::v1::SuccessionEvent event;
      grpc::Status status = units->ReparentUnit(
          Context().get(),
          FromJson<registry::v1::ReparentUnitRequest>(absl::StrCat(
              R"({"name": "units/)", commune, R"(", "parent": "units/298",
                  "effectiveDate": {"year": 2021, "month": 1, "day": 1},
                  "legalReference": "QĐ 124/2004/QĐ-TTg",
                  "requestId": "e2e-tu-ky-)",
              commune, "\"}")),
          &event);
      ASSERT_TRUE(status.ok()) << commune << ": " << Describe(status);
    }
  }

  // The operator defines what communes and districts report monthly.
  void DefineSchedules() {
    auto schedules = registry::v1::ReportingScheduleService::NewStub(
        As("registry", kOperator));
    for (const auto& [id, level, indicators] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"e2e-xa-thang", "COMMUNE",
              absl::StrCat("\"", kFilesProcessed, "\", \"", kMobileServices,
                           "\"")},
             {"e2e-huyen-thang", "DISTRICT",
              absl::StrCat("\"", kElectronicDocuments, "\"")}}) {
      registry::v1::ReportingSchedule created;
      grpc::Status status = schedules->CreateSchedule(
          Context().get(),
          FromJson<registry::v1::CreateScheduleRequest>(
              absl::StrCat(R"({"scheduleId": ")", id, R"(", "schedule": {
                "displayName": "Báo cáo chuyển đổi số hằng tháng",
                "reportingLevel": "UNIT_LEVEL_)",
                           level, R"(", "periodType": "PERIOD_TYPE_MONTH",
                "deadline": {"submitDaysAfterWindow": 5,
                             "forwardDaysAfterWindow": 10},
                "lockDaysAfterDeadline": 36500,
                "valid": {"start": {"year": 2021, "month": 1, "day": 1}},
                "indicators": [)",
                           indicators, "]}}")),
          &created);
      ASSERT_TRUE(status.ok()) << id << ": " << Describe(status);
    }
  }

  // The commune's May figures: files processed online 45 of 60 (75%), level-4
  // services on mobile 17 of 20 (85%).
  static ingestion::v1::SubmitValuesRequest CommuneReport() {
    ingestion::v1::SubmitValuesRequest request;
    request.mutable_options()->set_schedule(kCommuneSchedule);
    request.mutable_options()->set_request_id("e2e-tai-son-2025-M05");
    for (const auto& [indicator, value] :
         std::vector<std::pair<std::string, common::v1::Value>>{
             {kFilesProcessed, Ratio(45, 60)},
             {kMobileServices, Ratio(17, 20)}}) {
      ingestion::v1::ValueRow* row = request.add_rows();
      row->set_unit("units/11098");
      row->set_indicator(indicator);
      row->set_period(kPeriod);
      *row->mutable_value() = value;
    }
    return request;
  }

  // The commune's monthly report to the district, signed by the commune.
  documents::v1::SendDocumentRequest ReportDocument() const {
    documents::v1::SendDocumentRequest request;
    request.set_request_id("e2e-tai-son-bao-cao-2025-M05");
    documents::v1::Document& document = *request.mutable_document();
    documents::v1::MessageHeader& header = *document.mutable_header();
    header.mutable_from()->set_organ_id(kCommune);
    header.mutable_from()->set_organ_name("UBND xã Tái Sơn");
    documents::v1::Organization* to = header.add_to();
    to->set_organ_id(kDistrict);
    to->set_organ_name("UBND huyện Tứ Kỳ");
    header.mutable_code()->set_code_number("57");
    header.mutable_code()->set_code_notation("BC-UBND");
    header.mutable_promulgation_info()->set_place("Tái Sơn");
    header.mutable_promulgation_info()->set_promulgation_date("2025/06/03");
    header.mutable_document_type()->set_type(1);
    header.mutable_document_type()->set_type_name("Báo cáo");
    header.set_subject(
        "Báo cáo kết quả thực hiện chuyển đổi số tháng 5 năm 2025");
    header.mutable_signer_info()->set_competence("TM. Ủy ban nhân dân");
    header.mutable_signer_info()->set_position("Chủ tịch");
    header.mutable_signer_info()->set_full_name("Nguyễn Thế Thọ");
    header.set_document_id(absl::StrCat(kCommune, ",2025/06/03,57/BC-UBND"));
    document.set_business_type(documents::v1::BUSINESS_TYPE_NEW);
    Sign(signer_, document);
    return request;
  }

  // The value of `series` on `service`'s /metrics now; -1 when absent.
  double Metric(const std::string& service, const std::string& series) {
    absl::StatusOr<std::string> text = cluster_->Scrape(service);
    EXPECT_TRUE(text.ok()) << text.status();
    if (!text.ok()) return -1;
    absl::optional<double> value = metrics::FindSample(*text, series);
    EXPECT_TRUE(value.has_value()) << series << " not in:\n" << *text;
    return value.value_or(-1);
  }

  // A rollup once reporting has followed the change feed to `sequence`.
  reporting::v1::Rollup RollupAsOf(const std::string& agency,
                                   const std::string& unit,
                                   const std::string& indicator,
                                   int64_t sequence) {
    reporting::v1::GetRollupRequest request;
    request.set_unit(unit);
    request.set_indicator(indicator);
    request.set_period(kPeriod);
    request.set_min_sequence(sequence);
    reporting::v1::Rollup rollup;
    grpc::Status status =
        reporting::v1::ReportingService::NewStub(As("reporting", agency))
            ->GetRollup(Context().get(), request, &rollup);
    EXPECT_TRUE(status.ok())
        << unit << " " << indicator << ": " << Describe(status);
    return rollup;
  }

  // The communes of huyện Tứ Kỳ in May 2025, from the registry.
  std::set<std::string> DistrictCommunes() {
    auto units =
        registry::v1::AdminUnitService::NewStub(As("registry", kDistrict));
    auto request = FromJson<registry::v1::ListUnitsRequest>(
        R"({"parent": "units/298", "asOf": {"year": 2025, "month": 5,
            "day": 31}, "pageSize": 1000})");
    std::set<std::string> communes;
    do {
      registry::v1::ListUnitsResponse response;
      grpc::Status status =
          units->ListUnits(Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      for (const auto& unit : response.units()) communes.insert(unit.name());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return communes;
  }

  std::unique_ptr<Cluster> cluster_;
  // PostgreSQL connection strings by service; empty on SQLite.
  std::map<std::string, std::string> databases_;
  pki::IssuedCertificate signer_;
};

TEST_P(ScenarioTest, CommuneDistrictProvinceAcrossARestart) {
  const std::string& victim = std::get<1>(GetParam());
  RecordDistrictMembership();
  if (HasFatalFailure()) return;
  DefineSchedules();
  if (HasFatalFailure()) return;

  // 1. The commune pushes its figures and sends its report.
  auto commune_values =
      ingestion::v1::IngestionService::NewStub(As("ingestion", kCommune));
  ingestion::v1::ImportSummary pushed;
  grpc::Status status =
      commune_values->SubmitValues(Context().get(), CommuneReport(), &pushed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(pushed.created(), 2) << pushed.ShortDebugString();
  documents::v1::Document sent;
  status = documents::v1::DocumentService::NewStub(As("documents", kCommune))
               ->SendDocument(Context().get(), ReportDocument(), &sent);
  ASSERT_TRUE(status.ok()) << Describe(status);

  // 2. One service dies and comes back on the same data.
  ASSERT_TRUE(cluster_->Kill(victim).ok());
  absl::Status restarted = cluster_->Start(victim, FlagsOf(victim));
  ASSERT_TRUE(restarted.ok()) << restarted;

  // A commune system that never saw its acknowledgement sends the same batch
  // again: it is recognised, not stored twice.
  ingestion::v1::ImportSummary again;
  status =
      commune_values->SubmitValues(Context().get(), CommuneReport(), &again);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(again.replayed()) << again.ShortDebugString();
  EXPECT_EQ(again.created(), 2);

  // 3. The district takes the report from its inbox and accepts it.
  auto district_documents =
      documents::v1::DocumentService::NewStub(As("documents", kDistrict));
  documents::v1::ListInboxRequest inbox_request;
  inbox_request.set_recipient(absl::StrCat("agencies/", kDistrict));
  documents::v1::ListInboxResponse inbox;
  status =
      district_documents->ListInbox(Context().get(), inbox_request, &inbox);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_EQ(inbox.entries_size(), 1);
  EXPECT_EQ(Metric("documents", "lienthong_documents_inbox_backlog"), 1);
  EXPECT_EQ(inbox.entries(0).document().name(), sent.name());
  EXPECT_EQ(inbox.entries(0).document().header().subject(),
            "Báo cáo kết quả thực hiện chuyển đổi số tháng 5 năm 2025");
  // edXML statuses: 01 (arrived), then 03 (accepted).
  for (documents::v1::DeliveryState state :
       {documents::v1::DELIVERY_STATE_ARRIVED,
        documents::v1::DELIVERY_STATE_ACCEPTED}) {
    documents::v1::UpdateDeliveryStatusRequest update;
    update.set_document(sent.name());
    update.set_recipient(absl::StrCat("agencies/", kDistrict));
    update.set_state(state);
    update.set_request_id(absl::StrCat("e2e-tu-ky-57-", state));
    documents::v1::Document updated;
    status = district_documents->UpdateDeliveryStatus(Context().get(), update,
                                                      &updated);
    ASSERT_TRUE(status.ok()) << state << ": " << Describe(status);
  }
  documents::v1::AcknowledgeInboxRequest ack;
  ack.set_recipient(absl::StrCat("agencies/", kDistrict));
  ack.add_entry_ids(inbox.entries(0).entry_id());
  documents::v1::AcknowledgeInboxResponse acked;
  status = district_documents->AcknowledgeInbox(Context().get(), ack, &acked);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(acked.acknowledged(), 1);
  EXPECT_EQ(Metric("documents", "lienthong_documents_inbox_backlog"), 0);

  // The district's rollup has the commune's figures once, and completeness
  // counts Tái Sơn among the district's communes of May 2025.
  reporting::v1::Rollup files = RollupAsOf(
      kDistrict, "units/298", kFilesProcessed, pushed.last_sequence());
  EXPECT_EQ(files.value().ratio().numerator(), 45) << files.ShortDebugString();
  EXPECT_EQ(files.value().ratio().denominator(), 60);
  EXPECT_EQ(files.contributing_units(), 1);
  std::set<std::string> communes = DistrictCommunes();
  ASSERT_EQ(communes, (std::set<std::string>{"units/11095", "units/11098",
                                             "units/11101"}));
  reporting::v1::GetCompletenessRequest completeness_request;
  completeness_request.set_schedule(kCommuneSchedule);
  completeness_request.set_period(kPeriod);
  completeness_request.set_unit("units/298");
  reporting::v1::Completeness completeness;
  status = reporting::v1::ReportingService::NewStub(As("reporting", kDistrict))
               ->GetCompleteness(Context().get(), completeness_request,
                                 &completeness);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(completeness.expected(), static_cast<int>(communes.size()));
  EXPECT_EQ(completeness.complete(), 1);
  EXPECT_EQ(completeness.partial(), 0);
  std::set<std::string> missing(completeness.missing_units().begin(),
                                completeness.missing_units().end());
  communes.erase("units/11098");
  EXPECT_EQ(missing, communes);

  // The district pushes its own figure: 180 of 200 documents sent and
  // received electronically.
  ingestion::v1::SubmitValuesRequest district_report;
  district_report.mutable_options()->set_schedule(kDistrictSchedule);
  district_report.mutable_options()->set_request_id("e2e-tu-ky-2025-M05");
  ingestion::v1::ValueRow* row = district_report.add_rows();
  row->set_unit("units/298");
  row->set_indicator(kElectronicDocuments);
  row->set_period(kPeriod);
  *row->mutable_value() = Ratio(180, 200);
  ingestion::v1::ImportSummary district_pushed;
  status =
      ingestion::v1::IngestionService::NewStub(As("ingestion", kDistrict))
          ->SubmitValues(Context().get(), district_report, &district_pushed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(district_pushed.created(), 1);

  // 4. The province reads the rollups: the commune's figures roll up through
  // the district, and the district's own report is there.
  int64_t head = district_pushed.last_sequence();
  reporting::v1::Rollup province_files =
      RollupAsOf(kProvince, "units/30", kFilesProcessed, head);
  EXPECT_EQ(province_files.value().ratio().numerator(), 45)
      << province_files.ShortDebugString();
  EXPECT_EQ(province_files.value().ratio().denominator(), 60);
  reporting::v1::Rollup district_own =
      RollupAsOf(kProvince, "units/298", kElectronicDocuments, head);
  EXPECT_EQ(district_own.reported_value().ratio().numerator(), 180)
      << district_own.ShortDebugString();

  // And the achievement of the district plan's cascade on 30 June 2025:
  // Tái Sơn's 2025 targets, measured by its May figures.
  auto achievements_request =
      FromJson<reporting::v1::ListTargetAchievementsRequest>(
          absl::StrCat(R"({"plan": ")", kDistrictPlan, R"(", "year": 2025,
              "includeCascade": true, "pageSize": 1000,
              "asOf": {"year": 2025, "month": 6, "day": 30}})"));
  reporting::v1::ListTargetAchievementsResponse achievements;
  status = reporting::v1::ReportingService::NewStub(As("reporting", kProvince))
               ->ListTargetAchievements(Context().get(), achievements_request,
                                        &achievements);
  ASSERT_TRUE(status.ok()) << Describe(status);
  std::map<std::string, reporting::v1::TargetAchievement> by_target;
  for (const auto& achievement : achievements.achievements()) {
    EXPECT_EQ(achievement.plan(), kCommunePlan) << achievement.target();
    EXPECT_EQ(achievement.year(), 2025);
    by_target[achievement.target()] = achievement;
  }
  // Seed 000 sets 16 targets for 2025.
  EXPECT_EQ(by_target.size(), 16u);
  // "80% dịch vụ công trực tuyến mức độ 4 ... trên nhiều phương tiện": 85%.
  const auto& mobile = by_target[absl::StrCat(kCommunePlan, "/targets/3")];
  EXPECT_EQ(mobile.indicator(), kMobileServices);
  EXPECT_EQ(mobile.status(), reporting::v1::ACHIEVEMENT_STATUS_ACHIEVED)
      << mobile.ShortDebugString();
  // Measured on the year so far, which only May's report makes up.
  EXPECT_EQ(mobile.actual_period(), "2025");
  EXPECT_EQ(mobile.actual_value().ratio().numerator(), 17);
  EXPECT_EQ(mobile.target_value().percent(), 80);
  // "70% hồ sơ công việc ... được xử lý trên môi trường mạng": 75%.
  const auto& files_target =
      by_target[absl::StrCat(kCommunePlan, "/targets/5")];
  EXPECT_EQ(files_target.indicator(), kFilesProcessed);
  EXPECT_EQ(files_target.status(), reporting::v1::ACHIEVEMENT_STATUS_ACHIEVED)
      << files_target.ShortDebugString();
  EXPECT_EQ(files_target.actual_value().ratio().numerator(), 45);
  // What the commune did not report has no data; the district's own figure
  // is not the commune's.
  const auto& documents_target =
      by_target[absl::StrCat(kCommunePlan, "/targets/6")];
  EXPECT_EQ(documents_target.indicator(), kElectronicDocuments);
  EXPECT_EQ(documents_target.status(),
            reporting::v1::ACHIEVEMENT_STATUS_NO_DATA)
      << documents_target.ShortDebugString();

  // What each process's /metrics shows (counters start again at a restart).
  EXPECT_EQ(Metric("ingestion",
                   "lienthong_ingestion_batches_total{outcome=\"replayed\"}"),
            1);
  EXPECT_GE(Metric("ingestion",
                   "lienthong_ingestion_values_total{result=\"created\"}"),
            1);
  EXPECT_GE(Metric("ingestion", "lienthong_ingestion_fsyncs_total"), 1);
  EXPECT_GE(
      Metric("ingestion",
             "grpc_server_handled_total{grpc_service=\"lienthong.ingestion.v1."
             "IngestionService\",grpc_method=\"SubmitValues\",grpc_type="
             "\"unary\",grpc_code=\"OK\"}"),
      2);
  const double feed_head =
      Metric("ingestion", "lienthong_ingestion_feed_head_sequence");
  EXPECT_GE(feed_head, 3);
  EXPECT_EQ(Metric("reporting", "lienthong_reporting_feed_head_sequence"),
            feed_head);
  EXPECT_EQ(Metric("reporting", "lienthong_reporting_feed_lag_changes"), 0);
  EXPECT_GE(Metric("reporting", "lienthong_reporting_feed_position"), 3);
  EXPECT_GE(
      Metric("reporting",
             "grpc_server_handling_seconds_count{grpc_service=\"lienthong."
             "reporting.v1.ReportingService\",grpc_method=\"GetRollup\","
             "grpc_type=\"unary\"}"),
      1);
  for (const std::string& service : Cluster::Services()) {
    EXPECT_GT(Metric(service, "process_start_time_seconds"), 0) << service;
  }

  for (const std::string& service : Cluster::Services()) {
    absl::StatusOr<int> stopped = cluster_->Stop(service);
    ASSERT_TRUE(stopped.ok()) << stopped.status();
    EXPECT_EQ(*stopped, 0) << service << "\n" << cluster_->LogTail(service);
  }
}

std::string CaseName(
    const ::testing::TestParamInfo<std::tuple<Backend, Victim>>& info) {
  return absl::StrCat(std::get<0>(info.param), "_", std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(
    EachServiceRestarted, ScenarioTest,
    ::testing::Combine(::testing::Values("sqlite", "postgres"),
                       ::testing::ValuesIn(Cluster::Services())),
    CaseName);

}  // namespace
}  // namespace lienthong::e2e
