#ifndef SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_
#define SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_

// RegistryLookup over the registry's watch-driven cache (gRPC to the registry).
// The cache is attached once the registry it talks to is serving; until then
// lookups are UNAVAILABLE.

#include <atomic>
#include <string>

#include "services/ingestion/registry_lookup.h"
#include "services/registry/registry_cache.h"

namespace lienthong::ingestion {

class RegistryCacheLookup final : public RegistryLookup {
 public:
  // Uses `cache` from now on; it must outlive this.
  void Attach(registry::RegistryCache* cache) { cache_.store(cache); }

  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->GetUnit(name);
  }
  absl::StatusOr<registry::v1::Indicator> GetIndicator(
      const std::string& name) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->GetIndicator(name);
  }
  absl::StatusOr<registry::v1::ReportingSchedule> GetSchedule(
      const std::string& name) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->GetSchedule(name);
  }
  absl::StatusOr<std::vector<std::string>> ListChildren(
      const std::string& parent, absl::CivilDay date) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->ListChildren(parent, date);
  }
  absl::StatusOr<registry::v1::Agency> GetAgency(
      const std::string& name) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->GetAgency(name);
  }
  absl::StatusOr<registry::v1::GetUnitLineageResponse> GetUnitLineage(
      const std::string& name) override {
    registry::RegistryCache* cache = cache_.load();
    if (cache == nullptr) return NotConnected();
    return cache->GetUnitLineage(name);
  }

 private:
  static absl::Status NotConnected() {
    return absl::UnavailableError("the registry is not connected yet; retry");
  }

  std::atomic<registry::RegistryCache*> cache_{nullptr};
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_
