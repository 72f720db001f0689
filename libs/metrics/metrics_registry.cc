#include "libs/metrics/metrics_registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lienthong::metrics {
namespace {

// Shortest text that reads back as the same double.
std::string FormatNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"}, with `extra` (e.g. le="0.5") last; empty without labels.
std::string LabelSet(const std::vector<std::string>& names,
                     const std::vector<std::string>& values,
                     const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? "" : absl::StrCat("{", out, "}");
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  const size_t bucket =
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  absl::MutexLock lock(&mutex_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  absl::MutexLock lock(&mutex_);
  uint64_t running = 0;
  for (uint64_t count : counts_) {
    running += count;
    snapshot.cumulative.push_back(running);
  }
  snapshot.sum = sum_;
  return snapshot;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

struct MetricsRegistry::Entry {
  std::string help;
  std::string type;
  std::vector<std::string> label_names;
  std::unique_ptr<CounterFamily> counters;
  std::unique_ptr<HistogramFamily> histograms;
  std::function<std::vector<Sample>()> read;
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

MetricsRegistry::Entry& MetricsRegistry::Add(
    std::string name, std::string help, const char* type,
    std::vector<std::string> label_names) {
  std::unique_ptr<Entry>& entry = entries_[std::move(name)];
  if (entry == nullptr) {
    entry = std::make_unique<Entry>();
    entry->help = std::move(help);
    entry->type = type;
    entry->label_names = std::move(label_names);
  }
  return *entry;
}

CounterFamily* MetricsRegistry::AddCounter(
    std::string name, std::string help, std::vector<std::string> label_names) {
  absl::MutexLock lock(&mutex_);
  Entry& entry =
      Add(std::move(name), std::move(help), "counter", std::move(label_names));
  if (entry.counters == nullptr) {
    entry.counters.reset(
        new CounterFamily([] { return std::make_unique<Counter>(); }));
  }
  return entry.counters.get();
}

HistogramFamily* MetricsRegistry::AddHistogram(
    std::string name, std::string help, std::vector<std::string> label_names,
    std::vector<double> bounds) {
  absl::MutexLock lock(&mutex_);
  Entry& entry = Add(std::move(name), std::move(help), "histogram",
                     std::move(label_names));
  if (entry.histograms == nullptr) {
    entry.histograms.reset(new HistogramFamily(
        [bounds] { return std::make_unique<Histogram>(bounds); }));
  }
  return entry.histograms.get();
}

void MetricsRegistry::AddCallback(std::string name, std::string help,
                                  MetricType type,
                                  std::vector<std::string> label_names,
                                  std::function<std::vector<Sample>()> read) {
  absl::MutexLock lock(&mutex_);
  Entry& entry = Add(std::move(name), std::move(help),
                     type == MetricType::kCounter ? "counter" : "gauge",
                     std::move(label_names));
  entry.read = std::move(read);
}

void MetricsRegistry::AddCallback(std::string name, std::string help,
                                  MetricType type,
                                  std::function<double()> read) {
  AddCallback(std::move(name), std::move(help), type, {},
              [read = std::move(read)] {
                return std::vector<Sample>{{{}, read()}};
              });
}

std::string MetricsRegistry::Render() const {
  // The entries are copied out first: callbacks may be slow (a database), and
  // must not hold up registrations or other scrapes. Entries are never
  // removed, so the pointers stay valid.
  struct View {
    const std::string* name;
    const Entry* entry;
    std::function<std::vector<Sample>()> read;
  };
  std::vector<View> views;
  {
    absl::MutexLock lock(&mutex_);
    for (const auto& [name, entry] : entries_) {
      views.push_back({&name, entry.get(), entry->read});
    }
  }
  std::string out;
  for (const View& view : views) {
    const std::string& name = *view.name;
    const Entry* entry = view.entry;
    absl::StrAppend(&out, "# HELP ", name, " ", EscapeHelp(entry->help), "\n",
                    "# TYPE ", name, " ", entry->type, "\n");
    const std::vector<std::string>& labels = entry->label_names;
    if (entry->counters != nullptr) {
      entry->counters->ForEach(
          [&](const std::vector<std::string>& values, const Counter& counter) {
            absl::StrAppend(&out, name, LabelSet(labels, values), " ",
                            counter.value(), "\n");
          });
    }
    if (entry->histograms != nullptr) {
      entry->histograms->ForEach([&](const std::vector<std::string>& values,
                                     const Histogram& histogram) {
        const Histogram::Snapshot snapshot = histogram.Read();
        for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
          const double bound =
              i < histogram.bounds().size() ? histogram.bounds()[i] : INFINITY;
          absl::StrAppend(
              &out, name, "_bucket",
              LabelSet(labels, values,
                       absl::StrCat("le=\"", FormatNumber(bound), "\"")),
              " ", snapshot.cumulative[i], "\n");
        }
        absl::StrAppend(&out, name, "_sum", LabelSet(labels, values), " ",
                        FormatNumber(snapshot.sum), "\n", name, "_count",
                        LabelSet(labels, values), " ",
                        snapshot.cumulative.back(), "\n");
      });
    }
    if (view.read) {
      for (const Sample& sample : view.read()) {
        absl::StrAppend(&out, name, LabelSet(labels, sample.label_values), " ",
                        FormatNumber(sample.value), "\n");
      }
    }
  }
  return out;
}

}  // namespace lienthong::metrics
