#ifndef SERVICES_REPORTING_CARRIED_HISTORY_H_
#define SERVICES_REPORTING_CARRIED_HISTORY_H_

// Which earlier units' reported values count as a unit's own, from its
// recorded succession events: when communes merge, the successor carries their
// history, so a 2024 rollup asked in the 2025 hierarchy still has their data.

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "lienthong/registry/v1/admin_unit_service.pb.h"

namespace lienthong::reporting {

// The units (`units/{code}`, not `unit` itself) whose history `unit` carries
// by the events of `lineage` in force on `date`, nearest first. A merge carries
// every predecessor; a split carries the predecessor to its primary successor
// (HISTORY_RULE_PRIMARY_SUCCESSOR) or, under HISTORY_RULE_SHARES, to the one
// with the largest share: values are not apportioned.
std::vector<std::string> CarriedHistory(
    const registry::v1::GetUnitLineageResponse& lineage,
    const std::string& unit, absl::CivilDay date);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_CARRIED_HISTORY_H_
