#ifndef SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_
#define SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_

// Authorization's view of the registry, over the registry cache the services
// already share (UNAVAILABLE until it is attached).

#include "libs/authz/unit_directory.h"

namespace lienthong {

namespace ingestion {
class RegistryLookup;
}  // namespace ingestion

class RegistryUnitDirectory final : public authz::UnitDirectory {
 public:
  // `registry` must outlive the directory.
  explicit RegistryUnitDirectory(ingestion::RegistryLookup* registry)
      : registry_(registry) {}

  absl::StatusOr<std::string> UnitOfAgency(
      absl::string_view agency_code) const override;
  absl::StatusOr<bool> IsWithin(absl::string_view unit,
                                absl::string_view ancestor) const override;
  absl::StatusOr<bool> IsTopLevel(absl::string_view unit) const override;

 private:
  ingestion::RegistryLookup* registry_;
};

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_
