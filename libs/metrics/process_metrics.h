#ifndef LIBS_METRICS_PROCESS_METRICS_H_
#define LIBS_METRICS_PROCESS_METRICS_H_

// The process metrics every Prometheus client exports, read from /proc on
// each scrape: process_start_time_seconds, process_cpu_seconds_total,
// process_resident_memory_bytes, process_open_fds.

#include "absl/time/time.h"

namespace lienthong::metrics {

class MetricsRegistry;

// `started`: when the process started.
void AddProcessMetrics(MetricsRegistry& registry, absl::Time started);

}  // namespace lienthong::metrics

#endif  // LIBS_METRICS_PROCESS_METRICS_H_
