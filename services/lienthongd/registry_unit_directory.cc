#include "services/lienthongd/registry_unit_directory.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/ingestion/registry_lookup.h"

namespace lienthong {

absl::StatusOr<std::string> RegistryUnitDirectory::UnitOfAgency(
    absl::string_view agency_code) const {
  absl::StatusOr<registry::v1::Agency> agency =
      registry_->GetAgency(absl::StrCat("agencies/", agency_code));
  if (!agency.ok()) return agency.status();
  return agency->unit();
}

absl::StatusOr<bool> RegistryUnitDirectory::IsWithin(
    absl::string_view unit, absl::string_view ancestor) const {
  // Upwards over every parent the unit ever had; the map is a few levels deep.
  std::vector<std::string> frontier = {std::string(unit)};
  absl::flat_hash_set<std::string> seen(frontier.begin(), frontier.end());
  while (!frontier.empty()) {
    std::string at = std::move(frontier.back());
    frontier.pop_back();
    if (at == ancestor) return true;
    absl::StatusOr<registry::v1::AdminUnit> found = registry_->GetUnit(at);
    if (!found.ok()) return found.status();
    for (const registry::v1::ParentLink& link : found->parents()) {
      if (seen.insert(link.parent()).second) frontier.push_back(link.parent());
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
