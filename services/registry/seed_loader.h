#ifndef SERVICES_REGISTRY_SEED_LOADER_H_
#define SERVICES_REGISTRY_SEED_LOADER_H_

// Loads seed bundles (deploy/demo/seeds/*.json) through the registries' own
// validation: units, agencies, indicators, plans (parents first), targets,
// tasks. Every write carries a request_id derived from the resource's name, so
// loading the same bundles again replays instead of writing twice.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/registry/seed_bundle.pb.h"

namespace lienthong::registry {

class AgencyRegistry;
class IndicatorRegistry;
class PlanRegistry;
class UnitRegistry;

struct SeedLoadSummary {
  int units = 0;
  int agencies = 0;
  int indicators = 0;
  int plans = 0;
  int targets = 0;
  int tasks = 0;
};

// The registries a load writes to; all must outlive the call.
struct SeedTargets {
  UnitRegistry* units;
  AgencyRegistry* agencies;
  IndicatorRegistry* indicators;
  PlanRegistry* plans;
};

// Parses every *.json file in `dir` as a SeedBundle (unknown fields refused).
absl::StatusOr<std::vector<internal::SeedBundle>> ReadSeedBundles(
    const std::string& dir);

// Loads `bundles`; the first rejected resource stops the load with its error,
// naming the resource.
absl::StatusOr<SeedLoadSummary> LoadSeedBundles(
    const std::vector<internal::SeedBundle>& bundles, const SeedTargets& to);

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SEED_LOADER_H_
