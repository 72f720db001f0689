#ifndef SERVICES_REGISTRY_UNIT_STORE_H_
#define SERVICES_REGISTRY_UNIT_STORE_H_

// Storage of administrative units, their dated parent links and succession
// events. Implementations: SqliteUnitStore (embedded), PgUnitStore. One
// conformance suite (unit_store_conformance.h) runs against each.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "lienthong/registry/v1/admin_unit.pb.h"

namespace lienthong::registry {

// Which units to list.
struct UnitQuery {
  // Only children of this code on `as_of` (requires as_of); empty for any.
  std::string parent;
  // Only this level; 0 (UNIT_LEVEL_UNSPECIFIED) for any.
  int level = 0;
  // Only units in existence on this day; nullopt for all.
  absl::optional<absl::CivilDay> as_of;
  // Codes strictly greater than this (pagination); empty to start.
  std::string after_code;
  // At most this many, ordered by code.
  int limit = 100;
};

// One unit to write, checked against the stored state inside the write.
struct UnitPut {
  v1::AdminUnit
      unit;  // the whole new state; `etag`/`update_time` are set by the store
  bool create = false;        // ALREADY_EXISTS if the code was ever stored
  std::string expected_etag;  // for updates: ABORTED if it no longer matches
};

// An atomic change: every put and event is written, or none.
struct UnitWrite {
  std::vector<UnitPut> puts;
  std::vector<v1::SuccessionEvent> events;  // `name` is assigned by the store
  // Idempotency: with a request_id, `respond` turns the written state into the
  // serialized response, stored in the same transaction for replays.
  std::string request_id;
  std::function<std::string(const UnitWrite&)> respond;
};

class UnitStore {
 public:
  virtual ~UnitStore() = default;

  // NOT_FOUND if no unit has `code`.
  virtual absl::StatusOr<v1::AdminUnit> GetUnit(const std::string& code) = 0;
  // Units matching `query`, ordered by code.
  virtual absl::StatusOr<std::vector<v1::AdminUnit>> ListUnits(
      const UnitQuery& query) = 0;
  // Events involving `code` (or all when empty), newest effective date first.
  virtual absl::StatusOr<std::vector<v1::SuccessionEvent>> ListEvents(
      const std::string& code) = 0;
  // The stored response of an earlier write with `request_id`, if any.
  virtual absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) = 0;
  // Applies `write` atomically and durably; returns the stored units (with
  // etags) and events (with names), in the order given.
  virtual absl::StatusOr<UnitWrite> Write(UnitWrite write) = 0;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_UNIT_STORE_H_
