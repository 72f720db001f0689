#ifndef SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_
#define SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_

// RegistryLookup over the registry's watch-driven cache (gRPC to the registry).

#include <string>

#include "services/ingestion/registry_lookup.h"
#include "services/registry/registry_cache.h"

namespace lienthong::ingestion {

class RegistryCacheLookup final : public RegistryLookup {
 public:
  // `cache` must outlive this.
  explicit RegistryCacheLookup(registry::RegistryCache* cache)
      : cache_(cache) {}

  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    return cache_->GetUnit(name);
  }
  absl::StatusOr<registry::v1::Indicator> GetIndicator(
      const std::string& name) override {
    return cache_->GetIndicator(name);
  }
  absl::StatusOr<registry::v1::ReportingSchedule> GetSchedule(
      const std::string& name) override {
    return cache_->GetSchedule(name);
  }

 private:
  registry::RegistryCache* cache_;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_REGISTRY_CACHE_LOOKUP_H_
