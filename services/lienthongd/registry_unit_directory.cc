#include "services/lienthongd/registry_unit_directory.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "services/ingestion/registry_lookup.h"
#include "services/registry/dates.h"

namespace lienthong {

absl::StatusOr<std::string> RegistryUnitDirectory::UnitOfAgency(
    absl::string_view agency_code) const {
  absl::StatusOr<registry::v1::Agency> agency =
      registry_->GetAgency(absl::StrCat("agencies/", agency_code));
  if (!agency.ok()) return agency.status();
  return agency->unit();
}

absl::StatusOr<bool> RegistryUnitDirectory::IsWithin(
    absl::string_view unit, absl::string_view ancestor,
    const HierarchyDay& day) const {
  absl::StatusOr<registry::v1::AdminUnit> start =
      registry_->GetUnit(std::string(unit));
  if (!start.ok()) return start.status();
  // Without a day, the latest arrangement: today's, or the last day of a
  // retired unit.
  absl::CivilDay on = day.value_or(TodayInVietnam(*clock_));
  if (!day.has_value() && start->valid().has_end() &&
      !registry::IsUnset(start->valid().end())) {
    absl::StatusOr<absl::CivilDay> end =
        registry::ToCivilDay(start->valid().end(), "valid.end");
    if (end.ok() && *end < on) on = *end;
  }
  // Upwards over the parent links in force that day. Overlapping links (a
  // split's shared day) may give a unit two parents; the map is a few levels
  // deep.
  std::vector<registry::v1::AdminUnit> frontier = {*std::move(start)};
  absl::flat_hash_set<std::string> seen = {std::string(unit)};
  while (!frontier.empty()) {
    registry::v1::AdminUnit at = std::move(frontier.back());
    frontier.pop_back();
    if (at.name() == ancestor) return true;
    for (const registry::v1::ParentLink& link : at.parents()) {
      if (!registry::InRange(link.valid(), on) ||
          !seen.insert(link.parent()).second) {
        continue;
      }
      absl::StatusOr<registry::v1::AdminUnit> parent =
          registry_->GetUnit(link.parent());
      if (!parent.ok()) return parent.status();
      frontier.push_back(*std::move(parent));
    }
  }
  return false;
}

absl::StatusOr<bool> RegistryUnitDirectory::IsTopLevel(
    absl::string_view unit) const {
  absl::StatusOr<registry::v1::AdminUnit> found =
      registry_->GetUnit(std::string(unit));
  if (!found.ok()) return found.status();
  return found->parents().empty();
}

}  // namespace lienthong
