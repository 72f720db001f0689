#include "libs/metrics/process_metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include "libs/metrics/metrics_registry.h"

namespace lienthong::metrics {
namespace {

double CpuSeconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double ResidentBytes() {
  // statm: size resident shared ... in pages.
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  long size = 0, resident = 0;
  const int read = std::fscanf(statm, "%ld %ld", &size, &resident);
  std::fclose(statm);
  return read == 2 ? static_cast<double>(resident) * sysconf(_SC_PAGESIZE) : 0;
}

double OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int count = 0;
  while (dirent* entry = readdir(dir)) count += entry->d_name[0] != '.';
  closedir(dir);
  return count - 1;  // not the directory being read
}

}  // namespace

void AddProcessMetrics(MetricsRegistry& registry, absl::Time started) {
  const double start_seconds = absl::ToUnixMicros(started) / 1e6;
  registry.AddCallback("process_start_time_seconds",
                       "Start time of the process since the Unix epoch, in "
                       "seconds.",
                       MetricType::kGauge,
                       [start_seconds] { return start_seconds; });
  registry.AddCallback("process_cpu_seconds_total",
                       "User and system CPU time spent, in seconds.",
                       MetricType::kCounter, &CpuSeconds);
  registry.AddCallback("process_resident_memory_bytes",
                       "Resident memory size, in bytes.", MetricType::kGauge,
                       &ResidentBytes);
  registry.AddCallback("process_open_fds", "Open file descriptors.",
                       MetricType::kGauge, &OpenFds);
}

}  // namespace lienthong::metrics
