#ifndef SERVICES_REPORTING_REPORTING_STORE_H_
#define SERVICES_REPORTING_REPORTING_STORE_H_

// What reporting keeps across restarts: the reported values as the change
// feed left them and the feed position they reflect, saved together, so a
// restarted service loads them and resumes the feed after that position (no
// replay from the start, no change applied twice). Implementations:
// SqliteReportingStore, PgReportingStore.

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lienthong/ingestion/v1/data_value.pb.h"

namespace lienthong::reporting {

class ReportingStore {
 public:
  virtual ~ReportingStore() = default;

  // Applies `changes` (in feed order, after the saved position) and moves the
  // saved position to the last one, atomically and durably.
  virtual absl::Status Save(
      const std::vector<ingestion::v1::Change>& changes) = 0;

  // Calls `value(data_value, first_late)` for every saved value, then returns
  // the saved position (0 when nothing was saved).
  virtual absl::StatusOr<int64_t> Load(
      const std::function<void(const ingestion::v1::DataValue& value,
                               bool first_late)>& value) = 0;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_REPORTING_STORE_H_
