#include "tools/ltctl/value_push.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "libs/testing/status_matchers.h"
#include "tools/ltctl/ingestion_test_server.h"
#include "tools/ltctl/value_file.h"

namespace lienthong::ltctl {
namespace {

using ::lienthong::testing::IsOk;
using ::testing::HasSubstr;

// An ingestion server over TCP on a free port, as ltctl meets it.
class ValuePushTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(std::getenv("TEST_TMPDIR")) + "/push";
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    server_ = std::make_unique<IngestionTestServer>(dir_);
    ASSERT_THAT(server_->Start(), IsOk());
    stub_ = ingestion::v1::IngestionService::NewStub(grpc::CreateChannel(
        server_->target(), grpc::InsecureChannelCredentials()));
    options_.schedule = "schedules/cds-xa-thang";
    options_.batch_rows = 2;
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  PushReport Push(const std::string& path) {
    auto reader =
        ValueFileReader::Open(path, *FormatOf(path), server_->ValueTypes());
    EXPECT_THAT(reader, IsOk());
    absl::StatusOr<std::string> prefix = RequestIdPrefix(path, options_);
    EXPECT_THAT(prefix, IsOk());
    return PushValues(*stub_, **reader, *prefix, options_);
  }

  int64_t Head() { return *server_->store().HeadSequence(); }

  std::string dir_;
  std::unique_ptr<IngestionTestServer> server_;
  std::unique_ptr<ingestion::v1::IngestionService::Stub> stub_;
  PushOptions options_;
};

constexpr char kReport[] =
    "unit,indicator,period,value,numerator,denominator,comment\n"
    "00097,NLS.SO_LOP,2025-M12,12,,,\n"
    "00097,HTS.CAP_QUANG,2025-M12,,310,400,\"hộ có cáp quang, ước tính\"\n"
    "00097,NLS.SO_LOP,2026-M01,3,,,\n"
    "00097,HTS.CAP_QUANG,2026-M01,,320,400,\n"
    "00097,NLS.SO_LOP,2026-M02,5,,,\n";

TEST_F(ValuePushTest, PushesAFileInBatchesAndAgainWithoutWritingTwice) {
  options_.source_system = "motcua.xa-phuc-xa";
  std::string path = Write("report.csv", kReport);
  PushReport first = Push(path);
  EXPECT_THAT(first.stopped, IsOk());
  EXPECT_EQ(first.batches, 3);
  EXPECT_EQ(first.totals.received(), 5);
  EXPECT_EQ(first.totals.created(), 5);
  EXPECT_TRUE(first.problems.empty());
  EXPECT_EQ(Head(), 5);

  PushReport again = Push(path);
  EXPECT_EQ(again.batches_replayed, 3);
  EXPECT_EQ(again.totals.created(), 5);  // the first answers, replayed
  EXPECT_EQ(Head(), 5);                  // and nothing written

  ingestion::v1::ListValuesRequest list;
  list.set_period("2025-M12");
  auto values = server_->intake().ListValues(list);
  ASSERT_THAT(values, IsOk());
  ASSERT_EQ(values->values_size(), 2);
  EXPECT_EQ(values->values(0).source_system(), "motcua.xa-phuc-xa");
  EXPECT_EQ(values->values(0).comment(), "hộ có cáp quang, ước tính");
}

TEST_F(ValuePushTest, RejectedRowsAreReportedWithTheirFileLines) {
  std::string path =
      Write("bad.csv",
            "unit,indicator,period,value,numerator,denominator\n"
            "00097,NLS.SO_LOP,2025-M12,12,,\n"
            "00097,NLS.SO_LOP,2025-M11,3,,\n"  // locked on 5 December
            "00097,NLS.SO_LOP,2026-M01,4,,\n"
            "00097,HTS.CAP_QUANG,2026-M01,,500,400\n");  // above the whole
  PushReport report = Push(path);
  EXPECT_THAT(report.stopped, IsOk());
  EXPECT_EQ(report.batches, 2);
  EXPECT_EQ(report.batches_refused, 2);
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_EQ(report.problems[0].line, 3);
  EXPECT_EQ(report.problems[0].reason, "PERIOD_LOCKED");
  EXPECT_EQ(report.problems[1].line, 5);
  EXPECT_EQ(report.problems[1].reason, "NUMERATOR_ABOVE_DENOMINATOR");
  EXPECT_THAT(report.batch_errors[0], HasSubstr("lines 2-3"));
  EXPECT_EQ(Head(), 0);  // refused batches write nothing

  options_.accept_partial = true;
  report = Push(path);
  EXPECT_EQ(report.batches_refused, 0);
  EXPECT_EQ(report.totals.created(), 2);
  EXPECT_EQ(report.totals.rejected(), 2);
}

TEST_F(ValuePushTest, AnErrorInTheFileStopsThePushAfterWhatWasAcknowledged) {
  std::string path =
      Write("cut.jsonl",
            "{\"unit\":\"00097\",\"indicator\":\"NLS.SO_LOP\","
            "\"period\":\"2025-M12\",\"value\":{\"count\":\"1\"}}\n"
            "{\"unit\":\"00097\",\"indicator\":\"NLS.SO_LOP\","
            "\"period\":\"2026-M01\",\"value\":{\"count\":\"2\"}}\n"
            "{\"unit\": broken\n");
  PushReport report = Push(path);
  EXPECT_THAT(report.stopped.message(), HasSubstr("cut.jsonl:3"));
  EXPECT_EQ(report.batches, 1);
  EXPECT_EQ(report.totals.created(), 2);
  EXPECT_EQ(Head(), 2);
}

TEST_F(ValuePushTest, TheRequestIdPrefixFollowsTheFileAndTheOptions) {
  std::string path = Write("a.csv", kReport);
  std::string same = Write("b.csv", kReport);
  LT_ASSERT_OK_AND_ASSIGN(std::string a, RequestIdPrefix(path, options_));
  EXPECT_THAT(RequestIdPrefix(same, options_),
              ::lienthong::testing::IsOkAndHolds(a));
  options_.mode = ingestion::v1::IMPORT_MODE_REPLACE_SLICE;
  LT_ASSERT_OK_AND_ASSIGN(std::string replace, RequestIdPrefix(path, options_));
  EXPECT_NE(a, replace);
  std::string changed =
      Write("c.csv", std::string(kReport) + "00097,NLS.SO_LOP,2026-M03,1,,,\n");
  LT_ASSERT_OK_AND_ASSIGN(std::string other,
                          RequestIdPrefix(changed, options_));
  EXPECT_NE(other, replace);
}

}  // namespace
}  // namespace lienthong::ltctl
