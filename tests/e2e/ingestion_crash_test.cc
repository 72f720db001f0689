// The real lienthongd, killed with SIGKILL while batches stream in, then
// restarted on the same data: every acknowledged value is there exactly once,
// and re-sending the batch that was in flight (same request_id) completes it
// once.

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"
#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"

namespace lienthong {
namespace {

constexpr int kIndicators = 10;
constexpr int kRowsPerBatch = 10;
constexpr int kAckedBeforeKill = 40;

std::string Daemon() {
  return std::string(std::getenv("TEST_SRCDIR")) +
         "/lienthong/services/lienthongd/lienthongd";
}

// Starts lienthongd on a free port; returns its pid and port.
std::pair<pid_t, int> Start(const std::string& data_dir) {
  std::string fifo = data_dir + ".port";
  std::filesystem::remove(fifo);
  EXPECT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = fork();
  if (pid == 0) {
    std::string data = "--data_dir=" + data_dir;
    std::string port = "--port_file=" + fifo;
    execl(Daemon().c_str(), "lienthongd", "--listen=127.0.0.1:0", "--plaintext",
          data.c_str(), port.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  std::ifstream(fifo) >> port;  // blocks until the daemon serves
  return {pid, port};
}

struct Clients {
  explicit Clients(int port) {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                       grpc::InsecureChannelCredentials());
    units = registry::v1::AdminUnitService::NewStub(channel);
    indicators = registry::v1::IndicatorService::NewStub(channel);
    schedules = registry::v1::ReportingScheduleService::NewStub(channel);
    ingestion = ingestion::v1::IngestionService::NewStub(channel);
  }
  std::unique_ptr<registry::v1::AdminUnitService::Stub> units;
  std::unique_ptr<registry::v1::IndicatorService::Stub> indicators;
  std::unique_ptr<registry::v1::ReportingScheduleService::Stub> schedules;
  std::unique_ptr<ingestion::v1::IngestionService::Stub> ingestion;
};

void Deadline(grpc::ClientContext* context) {
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
}

common::v1::Date Year2000() {
  common::v1::Date date;
  date.set_year(2000);
  date.set_month(1);
  date.set_day(1);
  return date;
}

void DefineRegistry(Clients& clients) {
  for (const auto& [code, level, kind, parent] :
       {std::tuple<std::string, common::v1::UnitLevel, registry::v1::UnitKind,
                   std::string>{"01", common::v1::UNIT_LEVEL_PROVINCE,
                                registry::v1::UNIT_KIND_CENTRAL_CITY, ""},
        {"00097", common::v1::UNIT_LEVEL_COMMUNE, registry::v1::UNIT_KIND_WARD,
         "01"}}) {
    registry::v1::CreateUnitRequest request;
    registry::v1::AdminUnit* unit = request.mutable_unit();
    unit->set_code(code);
    unit->set_display_name(code);
    unit->set_level(level);
    unit->set_kind(kind);
    *unit->mutable_valid()->mutable_start() = Year2000();
    if (!parent.empty()) {
      registry::v1::ParentLink* link = unit->add_parents();
      link->set_parent("units/" + parent);
      *link->mutable_valid()->mutable_start() = Year2000();
    }
    grpc::ClientContext context;
    Deadline(&context);
    registry::v1::AdminUnit created;
    ASSERT_TRUE(clients.units->CreateUnit(&context, request, &created).ok());
  }
  registry::v1::CreateScheduleRequest schedule;
  schedule.set_schedule_id("crash");
  registry::v1::ReportingSchedule* s = schedule.mutable_schedule();
  s->set_display_name("crash test");
  s->set_reporting_level(common::v1::UNIT_LEVEL_COMMUNE);
  s->set_period_type(common::v1::PERIOD_TYPE_MONTH);
  s->mutable_deadline()->set_forward_days_after_window(1);
  s->mutable_deadline()->set_submit_days_after_window(1);
  s->set_lock_days_after_deadline(36500);
  *s->mutable_valid()->mutable_start() = Year2000();
  for (int i = 0; i < kIndicators; ++i) {
    registry::v1::CreateIndicatorRequest request;
    registry::v1::Indicator* indicator = request.mutable_indicator();
    indicator->set_code(absl::StrCat("CRASH.I", i));
    indicator->set_display_name_vi(indicator->code());
    indicator->set_pillar(common::v1::PILLAR_DIGITAL_DATA);
    indicator->set_value_type(registry::v1::VALUE_TYPE_COUNT);
    indicator->set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
    *indicator->mutable_valid()->mutable_start() = Year2000();
    grpc::ClientContext context;
    Deadline(&context);
    registry::v1::Indicator created;
    ASSERT_TRUE(
        clients.indicators->CreateIndicator(&context, request, &created).ok());
    s->add_indicators("indicators/" + indicator->code());
  }
  grpc::ClientContext context;
  Deadline(&context);
  registry::v1::ReportingSchedule created;
  ASSERT_TRUE(
      clients.schedules->CreateSchedule(&context, schedule, &created).ok());
}

// Batch `n`: kRowsPerBatch rows with keys no other batch uses.
ingestion::v1::SubmitValuesRequest Batch(int n) {
  ingestion::v1::SubmitValuesRequest request;
  request.mutable_options()->set_schedule("schedules/crash");
  request.mutable_options()->set_request_id(absl::StrCat("crash-batch-", n));
  for (int r = 0; r < kRowsPerBatch; ++r) {
    int key = n * kRowsPerBatch + r;
    ingestion::v1::ValueRow* row = request.add_rows();
    row->set_unit("units/00097");
    row->set_indicator(absl::StrCat("indicators/CRASH.I", key % kIndicators));
    int month = key / kIndicators;  // months since 2001-01
    row->set_period(
        absl::StrFormat("%04d-M%02d", 2001 + month / 12, 1 + month % 12));
    row->mutable_value()->set_count(key);
  }
  return request;
}

std::map<std::string, int64_t> StoredValues(Clients& clients) {
  grpc::ClientContext context;
  Deadline(&context);
  ingestion::v1::ListValuesRequest request;
  request.set_page_size(10000);
  ingestion::v1::ListValuesResponse response;
  EXPECT_TRUE(clients.ingestion->ListValues(&context, request, &response).ok());
  std::map<std::string, int64_t> values;
  for (const auto& value : response.values()) {
    EXPECT_TRUE(values.emplace(value.name(), value.value().count()).second)
        << value.name() << " stored twice";
  }
  return values;
}

TEST(IngestionCrashTest, AcknowledgedValuesSurviveSigkillExactlyOnce) {
  std::string data_dir = std::string(std::getenv("TEST_TMPDIR")) + "/crash";
  std::filesystem::remove_all(data_dir);
  auto [pid, port] = Start(data_dir);
  ASSERT_GT(port, 0);
  {
    Clients clients(port);
    DefineRegistry(clients);
  }

  absl::Mutex mutex;
  int acknowledged = 0;  // batches 0..acknowledged-1 are acknowledged
  std::atomic<bool> stop{false};
  std::thread writer([&, port = port] {
    Clients clients(port);
    for (int n = 0; !stop.load(); ++n) {
      grpc::ClientContext context;
      Deadline(&context);
      ingestion::v1::ImportSummary summary;
      grpc::Status status =
          clients.ingestion->SubmitValues(&context, Batch(n), &summary);
      if (!status.ok()) return;  // the server died under us
      ASSERT_EQ(summary.created(), kRowsPerBatch) << status.error_message();
      absl::MutexLock lock(&mutex);
      acknowledged = n + 1;
    }
  });
  {
    absl::MutexLock lock(&mutex);
    mutex.Await(absl::Condition(
        +[](int* acked) { return *acked >= kAckedBeforeKill; }, &acknowledged));
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);  // a batch is in flight or about to be
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  stop = true;
  writer.join();
  int acked;
  {
    absl::MutexLock lock(&mutex);
    acked = acknowledged;
  }

  auto [restarted, new_port] = Start(data_dir);
  Clients clients(new_port);
  std::map<std::string, int64_t> stored = StoredValues(clients);
  // Every acknowledged row is there with its value; the batch in flight is
  // either wholly there or wholly absent.
  for (int n = 0; n < acked; ++n) {
    ingestion::v1::SubmitValuesRequest batch = Batch(n);
    for (const auto& row : batch.rows()) {
      std::string name = absl::StrCat(
          "dataValues/00097/", row.indicator().substr(11), "/", row.period());
      ASSERT_EQ(stored.count(name), 1u) << name;
      EXPECT_EQ(stored[name], row.value().count());
    }
  }
  size_t total = stored.size();
  EXPECT_TRUE(total == static_cast<size_t>(acked * kRowsPerBatch) ||
              total == static_cast<size_t>((acked + 1) * kRowsPerBatch))
      << total;

  // The client re-sends what it never saw acknowledged, with the same
  // request_id.
  grpc::ClientContext context;
  Deadline(&context);
  ingestion::v1::ImportSummary summary;
  ASSERT_TRUE(
      clients.ingestion->SubmitValues(&context, Batch(acked), &summary).ok());
  EXPECT_EQ(StoredValues(clients).size(),
            static_cast<size_t>((acked + 1) * kRowsPerBatch));

  kill(restarted, SIGTERM);
  waitpid(restarted, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
}  // namespace lienthong
