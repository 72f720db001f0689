#include "services/registry/request_helpers.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"

namespace lienthong::registry {

absl::StatusOr<int> PageSize(int page_size) {
  constexpr int kDefaultPageSize = 100;
  constexpr int kMaxPageSize = 1000;
  if (page_size < 0) {
    return InvalidArgumentWithViolations(
        "page_size must not be negative", "INVALID_PAGE_SIZE",
        {{"page_size", absl::StrCat(page_size, " is negative")}});
  }
  return page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
}

absl::StatusOr<int64_t> ExpectedRevision(const std::string& etag,
                                         absl::string_view field) {
  if (etag.empty()) return 0;
  int64_t revision = 0;
  if (!absl::SimpleAtoi(etag, &revision) || revision <= 0) {
    return InvalidArgumentWithViolations(
        "etag is not one this service issued", "INVALID_ETAG",
        {{std::string(field), "not issued by this service"}});
  }
  return revision;
}

google::protobuf::Timestamp NowTimestamp(const Clock& clock) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(clock.Now()));
}

}  // namespace lienthong::registry
