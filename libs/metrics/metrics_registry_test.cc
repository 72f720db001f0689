#include "libs/metrics/metrics_registry.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace lienthong::metrics {
namespace {

using ::testing::HasSubstr;

TEST(MetricsRegistryTest, RendersCountersByLabelsSortedByName) {
  MetricsRegistry registry;
  CounterFamily* calls =
      registry.AddCounter("zz_calls_total", "Calls.", {"method", "code"});
  calls->WithLabels({"Get", "OK"}).Increment();
  calls->WithLabels({"Get", "OK"}).Increment(2);
  calls->WithLabels({"Put", "NotFound"}).Increment();
  registry.AddCallback("aa_up", "Up.", MetricType::kGauge, [] { return 1.0; });

  EXPECT_EQ(registry.Render(),
            "# HELP aa_up Up.\n"
            "# TYPE aa_up gauge\n"
            "aa_up 1\n"
            "# HELP zz_calls_total Calls.\n"
            "# TYPE zz_calls_total counter\n"
            "zz_calls_total{method=\"Get\",code=\"OK\"} 3\n"
            "zz_calls_total{method=\"Put\",code=\"NotFound\"} 1\n");
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  HistogramFamily* seconds =
      registry.AddHistogram("latency_seconds", "Latency.", {"m"}, {0.1, 1});
  Histogram& get = seconds->WithLabels({"Get"});
  get.Observe(0.05);
  get.Observe(0.1);  // on the bound: in that bucket
  get.Observe(0.5);
  get.Observe(7);

  EXPECT_EQ(registry.Render(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{m=\"Get\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{m=\"Get\",le=\"1\"} 3\n"
            "latency_seconds_bucket{m=\"Get\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{m=\"Get\"} 7.65\n"
            "latency_seconds_count{m=\"Get\"} 4\n");
}

TEST(MetricsRegistryTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.AddCallback("lag", "Lag\\in \"changes\"\nnow.", MetricType::kGauge,
                       {"feed"}, [] {
                         return std::vector<Sample>{{{"a\"b\\c\nd"}, 2.5}};
                       });
  EXPECT_THAT(registry.Render(),
              HasSubstr("# HELP lag Lag\\\\in \"changes\"\\nnow.\n"));
  EXPECT_THAT(registry.Render(),
              HasSubstr("lag{feed=\"a\\\"b\\\\c\\nd\"} 2.5\n"));
}

TEST(MetricsRegistryTest, SameNameGivesTheSameFamily) {
  MetricsRegistry registry;
  CounterFamily* first = registry.AddCounter("c_total", "C.", {});
  CounterFamily* second = registry.AddCounter("c_total", "C.", {});
  EXPECT_EQ(first, second);
}

TEST(MetricsRegistryTest, CountsFromManyThreads) {
  MetricsRegistry registry;
  CounterFamily* calls = registry.AddCounter("c_total", "C.", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([calls] {
      for (int i = 0; i < 10000; ++i) calls->WithLabels({"x"}).Increment();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(registry.Render(), HasSubstr("c_total{t=\"x\"} 40000\n"));
}

}  // namespace
}  // namespace lienthong::metrics
