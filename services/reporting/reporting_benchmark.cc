// Reporting at national scale, each figure beside its limit, in one run:
//  - the dataset: the 2025 units (34 provinces, 3,321 communes), 100
//    indicators, 36 months, applied to the feed index (and how fast);
//  - province rollup latency p50/p99 (one indicator, one month, all its
//    communes) beside reading the same communes' values alone;
//  - national table latency p50/p99 (34 provinces x 20 indicators x 12 months);
//  - freshness p50/p99: a value accepted by a real ingestion service (SQLite,
//    durable) until a province rollup includes it, through WatchChanges and
//    the feed follower; beside it ingestion's own accept latency;
//  - peak resident memory.
// The dataset goes straight into the index (ten million values through
// ingestion would measure ingestion); freshness uses its own index behind a
// real ingestion service. All periods use the 2025 hierarchy.
// Usage: reporting [units_dir=../shared/data/admin-units] [months=36]
// Last line: JSON.

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/server/grpc_server.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/ingestion_service.h"
#include "services/ingestion/open_registry_lookup.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"
#include "services/registry/import_formats.pb.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/rollup_reader.h"

namespace lienthong::reporting {
namespace {

constexpr int kIndicators = 100;

void Fail(const std::string& what) {
  std::fprintf(stderr, "%s\n", what.c_str());
  std::exit(1);
}

// Parent -> children names, from the 2025 list.
struct Hierarchy {
  std::vector<std::string> provinces;
  std::map<std::string, std::vector<std::string>> children;
  int communes = 0;
};

Hierarchy LoadUnits(const std::string& dir) {
  std::ifstream in(dir + "/vn_units_2025.json");
  if (!in) Fail("cannot read " + dir + "/vn_units_2025.json");
  std::stringstream text;
  text << in.rdbuf();
  registry::internal::Units2025File file;
  if (!google::protobuf::util::JsonStringToMessage(
           absl::StrCat("{\"provinces\":", text.str(), "}"), &file)
           .ok()) {
    Fail("cannot parse the 2025 units");
  }
  Hierarchy hierarchy;
  for (const auto& province : file.provinces()) {
    std::string name = "units/" + province.code();
    hierarchy.provinces.push_back(name);
    std::vector<std::string>& wards = hierarchy.children[name];
    for (const auto& ward : province.wards()) {
      wards.push_back("units/" + ward.code());
      hierarchy.children["units/" + ward.code()];
      ++hierarchy.communes;
    }
  }
  return hierarchy;
}

std::string Indicator(int i) { return absl::StrCat("indicators/B.", i); }
std::string Month(int m) {
  return absl::StrFormat("%04d-M%02d", 2023 + m / 12, 1 + m % 12);
}

RollupReader::IndicatorFn SumOfCounts() {
  return [](const std::string&) -> absl::StatusOr<registry::v1::Indicator> {
    registry::v1::Indicator indicator;
    indicator.set_value_type(registry::v1::VALUE_TYPE_COUNT);
    indicator.set_aggregation(registry::v1::AGGREGATION_RULE_SUM);
    return indicator;
  };
}

RollupReader::ChildrenFn ChildrenOf(const Hierarchy& hierarchy) {
  return
      [&hierarchy](const std::string& unit,
                   absl::CivilDay) -> absl::StatusOr<std::vector<std::string>> {
        auto it = hierarchy.children.find(unit);
        if (it == hierarchy.children.end()) return absl::NotFoundError(unit);
        return it->second;
      };
}

struct Percentiles {
  double p50;
  double p99;
};

Percentiles Of(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return {samples[samples.size() / 2], samples[samples.size() * 99 / 100]};
}

long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

}  // namespace
}  // namespace lienthong::reporting

int main(int argc, char** argv) {
  namespace rep = lienthong::reporting;
  namespace ing = lienthong::ingestion;
  std::string units_dir = argc > 1 ? argv[1] : "../shared/data/admin-units";
  int months = argc > 2 ? std::atoi(argv[2]) : 36;
  rep::Hierarchy hierarchy = rep::LoadUnits(units_dir);
  std::mt19937 random(20251123);

  // The dataset, straight into the index.
  rep::FeedIndex index;
  long rss_before = rep::PeakRssKib();
  int64_t sequence = 0;
  absl::Time start = absl::Now();
  for (const std::string& province : hierarchy.provinces) {
    for (const std::string& commune : hierarchy.children[province]) {
      for (int m = 0; m < months; ++m) {
        for (int i = 0; i < rep::kIndicators; ++i) {
          lienthong::ingestion::v1::Change change;
          change.set_sequence(++sequence);
          change.set_kind(lienthong::ingestion::v1::CHANGE_KIND_UPSERT);
          auto* value = change.mutable_value();
          value->set_unit(commune);
          value->set_indicator(rep::Indicator(i));
          value->mutable_period()->set_id(rep::Month(m));
          value->mutable_period()->set_type(
              lienthong::common::v1::PERIOD_TYPE_MONTH);
          value->mutable_value()->set_count(random() % 1000);
          if (!index.Apply(change).ok()) rep::Fail("apply failed");
        }
      }
    }
  }
  double load_s = absl::ToDoubleSeconds(absl::Now() - start);
  long rss_loaded = rep::PeakRssKib();

  rep::RollupReader reader(&index, rep::ChildrenOf(hierarchy),
                           rep::SumOfCounts());
  // Province rollups, and reading the same communes' values alone.
  std::vector<double> rollup_ms, read_ms;
  for (int n = 0; n < 2000; ++n) {
    const std::string& province =
        hierarchy.provinces[random() % hierarchy.provinces.size()];
    std::string indicator = rep::Indicator(random() % rep::kIndicators);
    std::string month =
        rep::Month(months - 1 - random() % std::min(months, 12));
    lienthong::reporting::v1::GetRollupRequest request;
    request.set_unit(province);
    request.set_indicator(indicator);
    request.set_period(month);
    absl::Time t0 = absl::Now();
    auto rollup = reader.GetRollup(request);
    rollup_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    if (!rollup.ok()) rep::Fail(rollup.status().ToString());
    t0 = absl::Now();
    int64_t total = 0;
    for (const std::string& commune : hierarchy.children[province]) {
      auto value = index.Reported(commune, indicator, month);
      if (value) total += value->count();
    }
    read_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    if (total != rollup->value().count()) rep::Fail("rollup and read differ");
  }
  // The national table.
  lienthong::reporting::v1::QueryRollupsRequest table;
  for (const std::string& province : hierarchy.provinces) {
    table.add_units(province);
  }
  for (int i = 0; i < 20; ++i) table.add_indicators(rep::Indicator(i));
  for (int m = std::max(0, months - 12); m < months; ++m) {
    table.add_periods(rep::Month(m));
  }
  std::vector<double> table_ms;
  for (int n = 0; n < 20; ++n) {
    absl::Time t0 = absl::Now();
    auto result = reader.QueryRollups(table);
    table_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    if (!result.ok()) rep::Fail(result.status().ToString());
  }

  // Freshness through a real ingestion service and the feed follower.
  std::string dir = "var/bench";
  std::filesystem::create_directories(dir);
  std::string path = absl::StrCat(dir, "/reporting.", getpid(), ".db");
  auto store = ing::SqliteValueStore::Open(path);
  if (!store.ok()) rep::Fail(store.status().ToString());
  lienthong::SystemClock clock;
  ing::OpenRegistryLookup registry(rep::kIndicators);
  ing::ChangeNotifier notifier;
  lienthong::AllowAllAuthorizer authorizer;
  ing::ValueIntake intake(store->get(), &registry, &clock);
  ing::IngestionServiceImpl service(&intake, store->get(), &notifier,
                                    &authorizer);
  auto server = lienthong::GrpcServer::Start(
      lienthong::ServerOptions(),
      {{"lienthong.ingestion.v1.IngestionService", &service}});
  if (!server.ok()) rep::Fail(server.status().ToString());
  auto channel = grpc::CreateChannel((*server)->target(),
                                     grpc::InsecureChannelCredentials());
  auto stub = ing::v1::IngestionService::NewStub(channel);
  rep::FeedIndex fresh;
  std::vector<double> fresh_ms, accept_ms;
  {
    rep::FeedFollower follower(channel, &fresh);
    rep::RollupReader fresh_reader(&fresh, rep::ChildrenOf(hierarchy),
                                   rep::SumOfCounts());
    for (int n = 0; n < 300; ++n) {
      const std::string& province =
          hierarchy.provinces[random() % hierarchy.provinces.size()];
      const auto& communes = hierarchy.children[province];
      ing::v1::SubmitValuesRequest submit;
      submit.mutable_options()->set_schedule("schedules/bench");
      auto* row = submit.add_rows();
      row->set_unit(communes[random() % communes.size()]);
      row->set_indicator(rep::Indicator(n % rep::kIndicators));
      row->set_period("2025-M12");
      row->mutable_value()->set_count(n + 1);
      grpc::ClientContext context;
      ing::v1::ImportSummary summary;
      absl::Time t0 = absl::Now();
      grpc::Status status = stub->SubmitValues(&context, submit, &summary);
      absl::Time accepted = absl::Now();
      if (!status.ok()) rep::Fail(status.error_message());
      lienthong::reporting::v1::GetRollupRequest request;
      request.set_unit(province);
      request.set_indicator(row->indicator());
      request.set_period("2025-M12");
      request.set_min_sequence(summary.last_sequence());
      auto rollup = fresh_reader.GetRollup(request);
      absl::Time visible = absl::Now();
      if (!rollup.ok()) rep::Fail(rollup.status().ToString());
      accept_ms.push_back(absl::ToDoubleMilliseconds(accepted - t0));
      fresh_ms.push_back(absl::ToDoubleMilliseconds(visible - accepted));
    }
    fresh.Close();
    notifier.Close();
  }
  (*server)->Shutdown(absl::Now());
  store->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path + suffix);
  }

  rep::Percentiles rollup = rep::Of(rollup_ms), read = rep::Of(read_ms),
                   national = rep::Of(table_ms), freshness = rep::Of(fresh_ms),
                   accept = rep::Of(accept_ms);
  long peak_kib = rep::PeakRssKib();
  double values = static_cast<double>(sequence);
  std::printf("%-52s %12s %12s\n", "measure", "p50", "p99");
  std::printf("%-52s %12.0f\n", "dataset values (applied to the index)",
              values);
  std::printf("%-52s %12.0f\n", "  index apply values/s", values / load_s);
  std::printf("%-52s %12.3f %12.3f\n", "province rollup ms", rollup.p50,
              rollup.p99);
  std::printf("%-52s %12.3f %12.3f\n",
              "  baseline: read its communes' values ms", read.p50, read.p99);
  std::printf("%-52s %12.3f %12.3f\n", "national table ms (34 x 20 x 12)",
              national.p50, national.p99);
  std::printf("%-52s %12.3f %12.3f\n", "freshness ms (accepted -> in rollup)",
              freshness.p50, freshness.p99);
  std::printf("%-52s %12.3f %12.3f\n", "  baseline: ingestion accept ms",
              accept.p50, accept.p99);
  std::printf("%-52s %12.1f\n", "index memory MiB (resident, after load)",
              (rss_loaded - rss_before) / 1024.0);
  std::printf("%-52s %12.1f\n", "peak resident MiB", peak_kib / 1024.0);
  std::printf(
      "{\"bench\":\"reporting\",\"values\":%.0f,\"apply_values_per_s\":%.0f,"
      "\"province_rollup_p50_ms\":%.3f,\"province_rollup_p99_ms\":%.3f,"
      "\"read_baseline_p50_ms\":%.3f,\"read_baseline_p99_ms\":%.3f,"
      "\"national_table_p50_ms\":%.3f,\"national_table_p99_ms\":%.3f,"
      "\"freshness_p50_ms\":%.3f,\"freshness_p99_ms\":%.3f,"
      "\"accept_p50_ms\":%.3f,\"accept_p99_ms\":%.3f,"
      "\"index_mib\":%.1f,\"peak_rss_mib\":%.1f,\"provinces\":%zu,"
      "\"communes\":%d,\"months\":%d}\n",
      values, values / load_s, rollup.p50, rollup.p99, read.p50, read.p99,
      national.p50, national.p99, freshness.p50, freshness.p99, accept.p50,
      accept.p99, (rss_loaded - rss_before) / 1024.0, peak_kib / 1024.0,
      hierarchy.provinces.size(), hierarchy.communes, months);
  return 0;
}
