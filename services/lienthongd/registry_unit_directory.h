#ifndef SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_
#define SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_

// Authorization's view of the registry, over the registry cache the services
// already share (UNAVAILABLE until it is attached).

#include "libs/authz/unit_directory.h"

namespace lienthong {

class Clock;

namespace ingestion {
class RegistryLookup;
}  // namespace ingestion

class RegistryUnitDirectory final : public authz::UnitDirectory {
 public:
  // `registry` and `clock` (which says what day "now" is) must outlive the
  // directory.
  RegistryUnitDirectory(ingestion::RegistryLookup* registry, const Clock* clock)
      : registry_(registry), clock_(clock) {}

  absl::StatusOr<std::string> UnitOfAgency(
      absl::string_view agency_code) const override;
  absl::StatusOr<bool> IsWithin(absl::string_view unit,
                                absl::string_view ancestor,
                                const HierarchyDay& day) const override;
  absl::StatusOr<bool> IsTopLevel(absl::string_view unit) const override;

 private:
  ingestion::RegistryLookup* registry_;
  const Clock* clock_;
};

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_REGISTRY_UNIT_DIRECTORY_H_
