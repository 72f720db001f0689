#ifndef SERVICES_REGISTRY_UNIT_REGISTRY_H_
#define SERVICES_REGISTRY_UNIT_REGISTRY_H_

// The administrative-unit logic: validation, as-of reads across
// reorganisations, and succession events. Knows nothing of gRPC; the adapter
// converts statuses.

#include "absl/status/statusor.h"
#include "lienthong/registry/v1/admin_unit_service.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class UnitStore;

class UnitRegistry {
 public:
  // `store` and `clock` must outlive the registry.
  UnitRegistry(UnitStore* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  absl::StatusOr<v1::AdminUnit> GetUnit(const v1::GetUnitRequest& request);
  absl::StatusOr<v1::ListUnitsResponse> ListUnits(
      const v1::ListUnitsRequest& request);
  absl::StatusOr<v1::ListAncestorsResponse> ListAncestors(
      const v1::ListAncestorsRequest& request);
  absl::StatusOr<v1::AdminUnit> CreateUnit(
      const v1::CreateUnitRequest& request);
  absl::StatusOr<v1::AdminUnit> UpdateUnit(
      const v1::UpdateUnitRequest& request);
  absl::StatusOr<v1::SuccessionEvent> MergeUnits(
      const v1::MergeUnitsRequest& request);
  absl::StatusOr<v1::SuccessionEvent> SplitUnit(
      const v1::SplitUnitRequest& request);
  absl::StatusOr<v1::GetUnitLineageResponse> GetUnitLineage(
      const v1::GetUnitLineageRequest& request);
  absl::StatusOr<v1::SuccessionEvent> RenameUnit(
      const v1::RenameUnitRequest& request);
  absl::StatusOr<v1::SuccessionEvent> ReparentUnit(
      const v1::ReparentUnitRequest& request);
  absl::StatusOr<v1::ListSuccessionEventsResponse> ListSuccessionEvents(
      const v1::ListSuccessionEventsRequest& request);

 private:
  UnitStore* store_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_UNIT_REGISTRY_H_
