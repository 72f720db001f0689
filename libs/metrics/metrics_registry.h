#ifndef LIBS_METRICS_METRICS_REGISTRY_H_
#define LIBS_METRICS_METRICS_REGISTRY_H_

// Metrics of one process in Prometheus' text exposition format (0.0.4):
// counters and histograms the code updates, and gauges or counters read from
// their owners when scraped (a store's commit count, the feed's lag). Label
// values come from a closed set (methods, status codes), never from callers'
// input, so the number of series stays bounded. No gRPC or HTTP here.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace lienthong::metrics {

class Counter {
 public:
  void Increment(uint64_t by = 1) {
    value_.fetch_add(by, std::memory_order_relaxed);
  }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending; +Inf is implied.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
  };
  Snapshot Read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  const std::vector<double> bounds_;
  mutable absl::Mutex mutex_;
  std::vector<uint64_t> counts_ ABSL_GUARDED_BY(mutex_);  // per bucket
  double sum_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Series of one metric told apart by label values, created on first use.
template <typename Metric>
class Family {
 public:
  // Label values, in the order of the family's label names.
  Metric& WithLabels(const std::vector<std::string>& values) {
    absl::MutexLock lock(&mutex_);
    std::unique_ptr<Metric>& metric = series_[values];
    if (metric == nullptr) metric = make_();
    return *metric;
  }
  template <typename Visit>
  void ForEach(Visit visit) const {
    absl::MutexLock lock(&mutex_);
    for (const auto& [values, metric] : series_) visit(values, *metric);
  }

 private:
  friend class MetricsRegistry;
  explicit Family(std::function<std::unique_ptr<Metric>()> make)
      : make_(std::move(make)) {}

  std::function<std::unique_ptr<Metric>()> make_;
  mutable absl::Mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_
      ABSL_GUARDED_BY(mutex_);
};

using CounterFamily = Family<Counter>;
using HistogramFamily = Family<Histogram>;

// One series of a metric read at scrape time.
struct Sample {
  std::vector<std::string> label_values;
  double value = 0;
};

enum class MetricType { kCounter, kGauge };

// Latency buckets in seconds, as Prometheus' client libraries default to.
std::vector<double> DefaultLatencyBuckets();

class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  // Each name is registered once; the families live as long as the registry.
  CounterFamily* AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names);
  HistogramFamily* AddHistogram(std::string name, std::string help,
                                std::vector<std::string> label_names,
                                std::vector<double> bounds);
  // A metric whose owner keeps the figures; `read` runs on every scrape, on
  // the scraping thread (outside the registry's lock), and must be safe there
  // until the registry is no longer rendered. It may return no sample when
  // it has nothing true to say.
  void AddCallback(std::string name, std::string help, MetricType type,
                   std::vector<std::string> label_names,
                   std::function<std::vector<Sample>()> read);
  // The same, for a metric without labels.
  void AddCallback(std::string name, std::string help, MetricType type,
                   std::function<double()> read);

  // Every metric, sorted by name, in the text exposition format.
  std::string Render() const;

 private:
  struct Entry;
  Entry& Add(std::string name, std::string help, const char* type,
             std::vector<std::string> label_names)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  mutable absl::Mutex mutex_;
  std::map<std::string, std::unique_ptr<Entry>> entries_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace lienthong::metrics

#endif  // LIBS_METRICS_METRICS_REGISTRY_H_
