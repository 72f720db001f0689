#ifndef SERVICES_REGISTRY_UNIT_IMPORT_H_
#define SERVICES_REGISTRY_UNIT_IMPORT_H_

// Loads the national unit files into the registry:
//  - the 2025 list (provinces with their wards and communes): units in force
//  from
//    the effective date; a code that already exists continues (renamed, moved
//    under its new province), a new code is created;
//  - the old-to-2025 mapping (63 old provinces, 10,047 old communes with their
//    successors): the old units up to the day before, and the succession events
//    (merges into each new unit; splits of old communes divided among several).
// One import is one atomic write. Rows that cannot be loaded are reported,
// never half-loaded; the rest goes in. Re-importing the same file changes
// nothing.

#include "absl/status/statusor.h"
#include "lienthong/registry/v1/admin_unit_service.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class UnitStore;

class UnitImporter {
 public:
  // `store` and `clock` must outlive the importer.
  UnitImporter(UnitStore* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  absl::StatusOr<v1::ImportUnitsResponse> Import(
      const v1::ImportUnitsRequest& request);

 private:
  UnitStore* store_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_UNIT_IMPORT_H_
