// The reporting read path end to end in one process: values submitted to
// ingestion reach the feed index through WatchChanges and come back as
// rollups through ReportingService.

#include "services/reporting/reporting_service.h"

#include <cstdlib>
#include <filesystem>

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/server/grpc_server.h"
#include "libs/testing/status_matchers.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/fake_registry_lookup.h"
#include "services/ingestion/ingestion_service.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"
#include "services/reporting/completeness_reader.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/rollup_reader.h"
#include "services/reporting/sqlite_reporting_store.h"

namespace lienthong::reporting {
namespace {

class ReportingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/r.db";
    std::filesystem::remove(path);
    LT_ASSERT_OK_AND_ASSIGN(store_, ingestion::SqliteValueStore::Open(path));
    registry_.indicators["indicators/NLS.SO_LOP"].set_aggregation(
        registry::v1::AGGREGATION_RULE_SUM);
    intake_ = std::make_unique<ingestion::ValueIntake>(store_.get(), &registry_,
                                                       &clock_);
    ingestion_ = std::make_unique<ingestion::IngestionServiceImpl>(
        intake_.get(), store_.get(), &notifier_, &authorizer_,
        absl::Milliseconds(20));
    reader_ = std::make_unique<RollupReader>(
        &index_,
        [this](const std::string& unit, absl::CivilDay date) {
          return registry_.ListChildren(unit, date);
        },
        [this](const std::string& name) {
          return registry_.GetIndicator(name);
        });
    completeness_ = std::make_unique<CompletenessReader>(
        &index_,
        [this](const std::string& unit, absl::CivilDay date) {
          return registry_.ListChildren(unit, date);
        },
        [this](const std::string& name) { return registry_.GetUnit(name); },
        [this](const std::string& name) {
          return registry_.GetSchedule(name);
        });
    ReportingReaders readers;
    readers.rollups = reader_.get();
    readers.completeness = completeness_.get();
    readers.index = &index_;
    readers.unit_name = [](const std::string& unit) {
      return std::string(unit == "units/01" ? "Hà Nội, Thủ đô" : "");
    };
    reporting_ = std::make_unique<ReportingServiceImpl>(
        std::move(readers), &authorizer_, absl::Milliseconds(20));
    LT_ASSERT_OK_AND_ASSIGN(
        server_,
        GrpcServer::Start(
            ServerOptions(),
            {{"lienthong.ingestion.v1.IngestionService", ingestion_.get()},
             {"lienthong.reporting.v1.ReportingService", reporting_.get()}}));
    auto channel = grpc::CreateChannel(server_->target(),
                                       grpc::InsecureChannelCredentials());
    follower_ = std::make_unique<FeedFollower>(channel, &index_);
    ingestion_stub_ = ingestion::v1::IngestionService::NewStub(channel);
    reporting_stub_ = v1::ReportingService::NewStub(channel);
  }
  void TearDown() override {
    index_.Close();     // ends rollup watches
    notifier_.Close();  // ends the follower's watch
    follower_.reset();
    server_->Shutdown(absl::Now());
  }

  int64_t Submit(int64_t count) {
    ingestion::v1::SubmitValuesRequest request;
    request.mutable_options()->set_schedule("schedules/cds-xa-thang");
    ingestion::v1::ValueRow* row = request.add_rows();
    row->set_unit("units/00097");
    row->set_indicator("indicators/NLS.SO_LOP");
    row->set_period("2025-M12");
    row->mutable_value()->set_count(count);
    grpc::ClientContext context;
    ingestion::v1::ImportSummary summary;
    EXPECT_TRUE(
        ingestion_stub_->SubmitValues(&context, request, &summary).ok());
    return summary.last_sequence();
  }

  FakeClock clock_{absl::FromUnixSeconds(1764900000)};  // 2025-12-05
  ingestion::FakeRegistry registry_;
  ingestion::ChangeNotifier notifier_;
  AllowAllAuthorizer authorizer_;
  std::unique_ptr<ingestion::SqliteValueStore> store_;
  std::unique_ptr<ingestion::ValueIntake> intake_;
  std::unique_ptr<ingestion::IngestionServiceImpl> ingestion_;
  FeedIndex index_;
  std::unique_ptr<RollupReader> reader_;
  std::unique_ptr<CompletenessReader> completeness_;
  std::unique_ptr<ReportingServiceImpl> reporting_;
  std::unique_ptr<GrpcServer> server_;
  std::unique_ptr<FeedFollower> follower_;
  std::unique_ptr<ingestion::v1::IngestionService::Stub> ingestion_stub_;
  std::unique_ptr<v1::ReportingService::Stub> reporting_stub_;
};

TEST_F(ReportingServiceTest, AnAcceptedValueShowsInTheProvinceRollup) {
  int64_t first = Submit(12);
  ASSERT_TRUE(index_.WaitFor(first, absl::Now() + absl::Seconds(30)));
  v1::GetRollupRequest request;
  request.set_unit("units/01");
  request.set_indicator("indicators/NLS.SO_LOP");
  request.set_period("2025-M12");
  grpc::ClientContext context;
  v1::Rollup rollup;
  ASSERT_TRUE(reporting_stub_->GetRollup(&context, request, &rollup).ok());
  EXPECT_EQ(rollup.value().count(), 12);
  EXPECT_EQ(rollup.contributing_units(), 1);
  EXPECT_EQ(rollup.as_of_sequence(), first);

  // Read-your-writes: the call waits for the feed to reach the correction.
  request.set_min_sequence(Submit(15));
  grpc::ClientContext again;
  ASSERT_TRUE(reporting_stub_->GetRollup(&again, request, &rollup).ok());
  EXPECT_EQ(rollup.value().count(), 15);
  EXPECT_GE(rollup.as_of_sequence(), request.min_sequence());

  request.set_period("2025-M14");
  grpc::ClientContext bad;
  EXPECT_EQ(reporting_stub_->GetRollup(&bad, request, &rollup).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReportingServiceTest, CompletenessCountsTheCommunesThatReported) {
  int64_t sequence = Submit(12);  // NLS.SO_LOP only: HTS.CAP_QUANG is missing
  ASSERT_TRUE(index_.WaitFor(sequence, absl::Now() + absl::Seconds(30)));
  v1::GetCompletenessRequest request;
  request.set_schedule("schedules/cds-xa-thang");
  request.set_unit("units/01");
  request.set_period("2025-M12");
  grpc::ClientContext context;
  v1::Completeness completeness;
  ASSERT_TRUE(
      reporting_stub_->GetCompleteness(&context, request, &completeness).ok());
  EXPECT_EQ(completeness.expected(), 1);
  EXPECT_EQ(completeness.partial(), 1);
  EXPECT_EQ(completeness.complete(), 0);

  request.set_schedule("cds-xa-thang");  // not a resource name
  grpc::ClientContext unnamed;
  EXPECT_EQ(reporting_stub_->GetCompleteness(&unnamed, request, &completeness)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_schedule("schedules/cds-xa-thang");
  request.set_period("2025-Q4");
  grpc::ClientContext bad;
  EXPECT_EQ(reporting_stub_->GetCompleteness(&bad, request, &completeness)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ReportingServiceTest, AWatchSeesTheProvinceRollupChange) {
  grpc::ClientContext context;
  v1::WatchRollupsRequest request;
  request.mutable_query()->add_units("units/01");
  request.mutable_query()->add_indicators("indicators/NLS.SO_LOP");
  request.mutable_query()->add_periods("2025-M12");
  auto watch = reporting_stub_->WatchRollups(&context, request);
  v1::WatchRollupsResponse response;
  ASSERT_TRUE(watch->Read(&response));  // the current figures
  ASSERT_EQ(response.rollups_size(), 1);
  EXPECT_FALSE(response.rollups(0).has_value());

  Submit(21);
  ASSERT_TRUE(watch->Read(&response));  // pushed when the feed moves
  ASSERT_EQ(response.rollups_size(), 1);
  EXPECT_EQ(response.rollups(0).value().count(), 21);
  context.TryCancel();
  watch->Finish().IgnoreError();
}

TEST_F(ReportingServiceTest, ExportsATableAsCsvInChunks) {
  int64_t sequence = Submit(12);
  v1::ExportRollupsRequest request;
  request.mutable_query()->add_units("units/01");
  request.mutable_query()->set_include_children(true);
  request.mutable_query()->add_indicators("indicators/NLS.SO_LOP");
  request.mutable_query()->add_periods("2025-M12");
  request.mutable_query()->set_min_sequence(sequence);
  grpc::ClientContext context;
  auto stream = reporting_stub_->ExportRollups(&context, request);
  std::string csv;
  v1::ExportRollupsResponse chunk;
  while (stream->Read(&chunk)) csv += chunk.chunk();
  ASSERT_TRUE(stream->Finish().ok());
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "unit,unit_name,indicator,period,value,numerator,denominator,"
            "contributing_units,expected_units\r\n"
            "00097,,NLS.SO_LOP,2025-M12,12,,,1,1\r\n"
            "01,\"Hà Nội, Thủ đô\",NLS.SO_LOP,2025-M12,12,,,1,1\r\n");
}

TEST_F(ReportingServiceTest, ARestartedFollowerResumesFromTheSavedPosition) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/saved.db";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }
  auto channel = grpc::CreateChannel(server_->target(),
                                     grpc::InsecureChannelCredentials());
  int64_t first = Submit(7);
  {
    LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteReportingStore::Open(path));
    FeedIndex index;
    FeedFollower follower(channel, &index, store.get());
    ASSERT_TRUE(index.WaitFor(first, absl::Now() + absl::Seconds(30)));
  }
  // A new run: the saved values and position, before any feed is read.
  LT_ASSERT_OK_AND_ASSIGN(auto store, SqliteReportingStore::Open(path));
  FeedIndex index;
  LT_ASSERT_OK_AND_ASSIGN(
      int64_t position,
      store->Load([&index](const ingestion::v1::DataValue& value, bool late) {
        index.Restore(value, late);
      }));
  index.Resume(position);
  EXPECT_EQ(position, first);
  EXPECT_EQ(index.Reported("units/00097", "indicators/NLS.SO_LOP", "2025-M12")
                ->count(),
            7);
  int64_t second = Submit(8);
  FeedFollower follower(channel, &index, store.get());
  ASSERT_TRUE(index.WaitFor(second, absl::Now() + absl::Seconds(30)));
  EXPECT_EQ(index.Reported("units/00097", "indicators/NLS.SO_LOP", "2025-M12")
                ->count(),
            8);
  index.Close();
}

}  // namespace
}  // namespace lienthong::reporting
