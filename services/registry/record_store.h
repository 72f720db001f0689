#ifndef SERVICES_REGISTRY_RECORD_STORE_H_
#define SERVICES_REGISTRY_RECORD_STORE_H_

// Storage of the registry's plain resources (agencies now; indicators,
// schedules, plans next): serialized messages by kind and id, with a revision
// for etags, one indexed reference ("owner", e.g. an agency's unit) for
// listing, and the request log that makes mutations idempotent.
// Implementations: SqliteRecordStore, PgRecordStore; the conformance suite in
// record_store_conformance.h runs against each.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/optional.h"

namespace lienthong::registry {

struct Record {
  std::string kind;      // e.g. "agency"
  std::string id;        // unique within the kind, e.g. "000.00.04.G14"
  std::string owner;     // indexed reference, e.g. "00097"; may be empty
  std::string body;      // the serialized message
  int64_t revision = 0;  // 1 on creation, +1 on every change
};

// One change, checked against the stored state inside the write.
struct RecordPut {
  Record record;                  // `revision` is ignored and assigned
  bool create = false;            // ALREADY_EXISTS if the id is taken
  bool remove = false;            // delete instead of writing
  int64_t expected_revision = 0;  // if non-zero: ABORTED unless it matches
};

class RecordStore {
 public:
  virtual ~RecordStore() = default;

  // NOT_FOUND if there is no such record.
  virtual absl::StatusOr<Record> Get(const std::string& kind,
                                     const std::string& id) = 0;
  // Records of `kind` (with `owner`, unless empty) after `after_id`, by id.
  virtual absl::StatusOr<std::vector<Record>> List(const std::string& kind,
                                                   const std::string& owner,
                                                   const std::string& after_id,
                                                   int limit) = 0;
  // The stored response of an earlier write with `request_id`, if any.
  virtual absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) = 0;
  // Applies `puts` atomically and durably; returns them with revisions set.
  // With a request_id, `respond` turns the result into the response stored for
  // replays.
  virtual absl::StatusOr<std::vector<RecordPut>> Write(
      std::vector<RecordPut> puts, const std::string& request_id,
      const std::function<std::string(const std::vector<RecordPut>&)>&
          respond) = 0;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_RECORD_STORE_H_
