#ifndef SERVICES_REGISTRY_REGISTRY_CACHE_H_
#define SERVICES_REGISTRY_REGISTRY_CACHE_H_

// A reader's cache of registry resources, for services that validate every
// incoming value against units and indicators. It stays correct without asking
// the registry on every call: a watch on RegistryWatchService drops a
// collection as soon as the registry reports it changed.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lienthong/registry/v1/admin_unit_service.grpc.pb.h"
#include "lienthong/registry/v1/agency.grpc.pb.h"
#include "lienthong/registry/v1/indicator.grpc.pb.h"
#include "lienthong/registry/v1/registry_watch.grpc.pb.h"
#include "lienthong/registry/v1/reporting_schedule.grpc.pb.h"

namespace lienthong::registry {

class RegistryCache {
 public:
  // Starts watching the registry behind `channel`; every call gets
  // `rpc_timeout`.
  explicit RegistryCache(std::shared_ptr<grpc::Channel> channel,
                         absl::Duration rpc_timeout = absl::Seconds(10));
  // Stops the watch.
  ~RegistryCache();

  // The latest definition of `name` ("indicators/{code}").
  absl::StatusOr<v1::Indicator> GetIndicator(const std::string& name);
  // The unit `name` ("units/{code}").
  absl::StatusOr<v1::AdminUnit> GetUnit(const std::string& name);
  // The agency `name` ("agencies/{code}").
  absl::StatusOr<v1::Agency> GetAgency(const std::string& name);
  // The schedule `name` ("schedules/{id}").
  absl::StatusOr<v1::ReportingSchedule> GetSchedule(const std::string& name);
  // The succession events that produced and ended the unit `name`.
  absl::StatusOr<v1::GetUnitLineageResponse> GetUnitLineage(
      const std::string& name);
  // Names of the units directly under `parent` in the hierarchy on `date`.
  absl::StatusOr<std::vector<std::string>> ListChildren(
      const std::string& parent, absl::CivilDay date);

  // Waits until the cache has applied the registry's `revision`; false on
  // timeout.
  bool WaitForRevision(int64_t revision, absl::Duration timeout);
  // Calls that went to the registry (misses), for tests and metrics.
  int64_t fetches() const;

 private:
  struct Collection {
    int64_t generation = 0;                      // bumped on every invalidation
    std::map<std::string, std::string> entries;  // name -> serialized message
  };

  template <typename Message, typename Fetch>
  absl::StatusOr<Message> Get(const std::string& collection,
                              const std::string& name, Fetch fetch);
  void Watch();

  const absl::Duration rpc_timeout_;
  std::unique_ptr<v1::IndicatorService::Stub> indicators_;
  std::unique_ptr<v1::AdminUnitService::Stub> units_;
  std::unique_ptr<v1::ReportingScheduleService::Stub> schedules_;
  std::unique_ptr<v1::AgencyService::Stub> agencies_;
  std::unique_ptr<v1::RegistryWatchService::Stub> watch_;

  mutable absl::Mutex mutex_;
  std::map<std::string, Collection> collections_ ABSL_GUARDED_BY(mutex_);
  std::string epoch_ ABSL_GUARDED_BY(mutex_);
  int64_t revision_ ABSL_GUARDED_BY(mutex_) = 0;
  bool watching_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  int64_t fetches_ ABSL_GUARDED_BY(mutex_) = 0;
  grpc::ClientContext* watch_context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::thread thread_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_REGISTRY_CACHE_H_
