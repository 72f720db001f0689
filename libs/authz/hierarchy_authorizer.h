#ifndef LIBS_AUTHZ_HIERARCHY_AUTHORIZER_H_
#define LIBS_AUTHZ_HIERARCHY_AUTHORIZER_H_

// The platform's authorization policy, in one place: every adapter names its
// method ("ingestion.values.write") and the resource the call touches
// ("units/00097"), and this decides from the caller's verified agency and role
// and the unit hierarchy:
//
//   - reference data (units, agencies, indicators, schedules, plans) is read
//     by every authenticated caller;
//   - the registry is administered by operators;
//   - an agency system writes values for its own unit only;
//   - values, rollups, completeness and achievement of a unit are read by
//     agency systems whose unit is that unit or above it on the data's
//     hierarchy day (reads of the whole platform need a top-level,
//     provincial, unit) and by operators; the day is the period's last, and
//     grouping units as on another day is for provincial systems and
//     operators;
//   - documents are sent, listed, answered and taken from the inbox by the
//     agency named in the call and nobody else; fetching a document, its
//     receipt or an attachment is left to the exchange, which knows the
//     parties;
//   - audit logs are read by auditors;
//   - a method the policy does not know is refused (fail closed).
//
// Calls without a verified identity reach services only from inside the
// platform (in-process channels, or a plain-text loopback daemon, which uses
// AllowAllAuthorizer instead), so they are allowed, as are calls presenting
// the platform's own certificate (service to service).

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "libs/server/authorizer.h"

namespace lienthong::authz {

class UnitDirectory;

class HierarchyAuthorizer final : public Authorizer {
 public:
  // `directory` must outlive the authorizer; it may be consulted from many
  // threads at once.
  explicit HierarchyAuthorizer(const UnitDirectory* directory);

  // PERMISSION_DENIED with a reason (ROLE_NOT_ALLOWED, NOT_OWN_UNIT,
  // HIERARCHY_DATE_NOT_ALLOWED,
  // OUTSIDE_CALLERS_UNIT, WHOLE_PLATFORM_READ, NOT_CALLERS_AGENCY,
  // CALLER_AGENCY_UNKNOWN, UNKNOWN_METHOD) and the method, resource and
  // caller as metadata.
  using Authorizer::Authorize;
  absl::Status Authorize(const Caller& caller, absl::string_view method,
                         absl::string_view resource,
                         const HierarchyDay& day) const override;

  // What a method needs of its caller.
  enum class Rule {
    kReference,      // any authenticated caller
    kAdminister,     // operators
    kAuditRead,      // auditors
    kSubmit,         // systems; rows are authorized one by one
    kTaskProgress,   // systems; the plan registry checks the task's agencies
    kWriteOwnUnit,   // systems of that very unit
    kReadUnit,       // systems at or above the unit, and operators
    kRegroup,        // provincial systems and operators
    kOwnAgency,      // systems of the agency named
    kDocumentParty,  // systems; the exchange checks the parties
  };

 private:
  // The call being decided, for denials.
  struct Call {
    const Caller& caller;
    absl::string_view method;
    absl::string_view resource;
    const HierarchyDay& day;
  };
  // PERMISSION_DENIED with `reason`, saying `why`.
  static absl::Status Deny(const Call& call, absl::string_view reason,
                           absl::string_view why);
  // The caller's unit; a denial (CALLER_AGENCY_UNKNOWN) when the registry does
  // not know its agency.
  absl::StatusOr<std::string> OwnUnit(const Call& call) const;
  // A system's read of `call.resource`, by the hierarchy.
  absl::Status ReadUnit(const Call& call) const;

  const UnitDirectory* directory_;
  absl::flat_hash_map<std::string, Rule> rules_;
};

}  // namespace lienthong::authz

#endif  // LIBS_AUTHZ_HIERARCHY_AUTHORIZER_H_
