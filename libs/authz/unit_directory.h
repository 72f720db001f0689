#ifndef LIBS_AUTHZ_UNIT_DIRECTORY_H_
#define LIBS_AUTHZ_UNIT_DIRECTORY_H_

// What authorization needs to know of the registry: which unit an agency
// belongs to, and how units nest.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/server/authorizer.h"

namespace lienthong::authz {

class UnitDirectory {
 public:
  virtual ~UnitDirectory() = default;
  // The unit ("units/{code}") of the agency with `agency_code`; NOT_FOUND
  // when the registry does not know it.
  virtual absl::StatusOr<std::string> UnitOfAgency(
      absl::string_view agency_code) const = 0;
  // True when `unit` is `ancestor` or lies beneath it by the parent links in
  // force on `day`, so an abolished district still reaches its former
  // communes' data of the days they were its own, and a commune moved
  // elsewhere is no longer its old district's from the move on. Without a
  // day, the unit's latest arrangement decides: the links in force now, or on
  // its last day if it was retired. NOT_FOUND when `unit` is unknown.
  virtual absl::StatusOr<bool> IsWithin(absl::string_view unit,
                                        absl::string_view ancestor,
                                        const HierarchyDay& day) const = 0;
  // True when `unit` has never had a parent (a province).
  virtual absl::StatusOr<bool> IsTopLevel(absl::string_view unit) const = 0;
};

}  // namespace lienthong::authz

#endif  // LIBS_AUTHZ_UNIT_DIRECTORY_H_
