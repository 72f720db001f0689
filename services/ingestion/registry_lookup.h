#ifndef SERVICES_INGESTION_REGISTRY_LOOKUP_H_
#define SERVICES_INGESTION_REGISTRY_LOOKUP_H_

// What intake needs to know from the registry, by resource name. In lienthongd
// it is the registry's watch-driven cache over a gRPC channel; tests give a
// fake.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "lienthong/registry/v1/admin_unit.pb.h"
#include "lienthong/registry/v1/admin_unit_service.pb.h"
#include "lienthong/registry/v1/agency.pb.h"
#include "lienthong/registry/v1/indicator.pb.h"
#include "lienthong/registry/v1/reporting_schedule.pb.h"

namespace lienthong::ingestion {

class RegistryLookup {
 public:
  virtual ~RegistryLookup() = default;
  // NOT_FOUND when the registry has no such resource.
  virtual absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) = 0;
  virtual absl::StatusOr<registry::v1::Indicator> GetIndicator(
      const std::string& name) = 0;
  virtual absl::StatusOr<registry::v1::ReportingSchedule> GetSchedule(
      const std::string& name) = 0;
  // Names of the units directly under `parent` in the hierarchy in force on
  // `date`.
  virtual absl::StatusOr<std::vector<std::string>> ListChildren(
      const std::string& parent, absl::CivilDay date) = 0;
  // The agency `name` ("agencies/{code}"); by default none is known.
  virtual absl::StatusOr<registry::v1::Agency> GetAgency(
      const std::string& name) {
    return absl::NotFoundError(name);
  }
  // The succession events that produced and ended the unit `name`; by
  // default none are recorded.
  virtual absl::StatusOr<registry::v1::GetUnitLineageResponse> GetUnitLineage(
      const std::string& /*name*/) {
    return registry::v1::GetUnitLineageResponse();
  }
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_REGISTRY_LOOKUP_H_
