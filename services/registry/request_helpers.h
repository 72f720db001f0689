#ifndef SERVICES_REGISTRY_REQUEST_HELPERS_H_
#define SERVICES_REGISTRY_REQUEST_HELPERS_H_

// What every registry mutation and list shares: idempotent replays by
// request_id, page sizes, etags as revisions, and server timestamps.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/optional.h"
#include "google/protobuf/timestamp.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

// Whether a write with `request_id` happened before; if so, `response` holds
// the answer it gave. `Store` is any store with FindResponse (units or
// records).
template <typename Store, typename Response>
absl::StatusOr<bool> Replayed(Store& store, const std::string& request_id,
                              Response* response) {
  if (request_id.empty()) return false;
  absl::StatusOr<absl::optional<std::string>> stored =
      store.FindResponse(request_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return false;
  if (!response->ParseFromString(**stored)) {
    return absl::DataLossError("stored response does not parse");
  }
  return true;
}

// The page size to use: 0 means 100, more than 1000 means 1000; negative is
// INVALID_ARGUMENT on `page_size`.
absl::StatusOr<int> PageSize(int page_size);

// The revision an etag names (0 for no etag); INVALID_ARGUMENT on `field` for
// one this service did not issue.
absl::StatusOr<int64_t> ExpectedRevision(const std::string& etag,
                                         absl::string_view field);

// Now, as a protobuf timestamp.
google::protobuf::Timestamp NowTimestamp(const Clock& clock);

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_REQUEST_HELPERS_H_
