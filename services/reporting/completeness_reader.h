#ifndef SERVICES_REPORTING_COMPLETENESS_READER_H_
#define SERVICES_REPORTING_COMPLETENESS_READER_H_

// GetCompleteness: validates the request and computes completeness from the
// feed index and the registry (schedules, units, hierarchy). No gRPC here.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "lienthong/registry/v1/admin_unit.pb.h"
#include "lienthong/registry/v1/reporting_schedule.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"

namespace lienthong::reporting {

class FeedIndex;

class CompletenessReader {
 public:
  using ChildrenFn = std::function<absl::StatusOr<std::vector<std::string>>(
      const std::string& unit, absl::CivilDay date)>;
  using UnitFn = std::function<absl::StatusOr<registry::v1::AdminUnit>(
      const std::string& name)>;
  using ScheduleFn =
      std::function<absl::StatusOr<registry::v1::ReportingSchedule>(
          const std::string& name)>;

  // `index` must outlive the reader.
  CompletenessReader(const FeedIndex* index, ChildrenFn children, UnitFn units,
                     ScheduleFn schedules)
      : index_(index),
        children_(std::move(children)),
        units_(std::move(units)),
        schedules_(std::move(schedules)) {}

  absl::StatusOr<v1::Completeness> GetCompleteness(
      const v1::GetCompletenessRequest& request);

 private:
  const FeedIndex* index_;
  ChildrenFn children_;
  UnitFn units_;
  ScheduleFn schedules_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_COMPLETENESS_READER_H_
