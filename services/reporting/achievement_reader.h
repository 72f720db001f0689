#ifndef SERVICES_REPORTING_ACHIEVEMENT_READER_H_
#define SERVICES_REPORTING_ACHIEVEMENT_READER_H_

// Plans against the data: each target's actual value (the rollup for its unit
// in its year, or the latest period with data) and status, down a plan's
// cascade; task summaries and overdue tasks. No gRPC here.

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/types/optional.h"
#include "lienthong/registry/v1/plan.pb.h"
#include "lienthong/reporting/v1/reporting_service.pb.h"
#include "services/reporting/rollup_reader.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::reporting {

class PlanSource;
struct Actual;

class AchievementReader {
 public:
  // `rollups` and `clock` must outlive the reader; `children` is the
  // registry's hierarchy (for the units a request covers).
  AchievementReader(RollupReader* rollups, RollupReader::ChildrenFn children,
                    const Clock* clock)
      : rollups_(rollups), children_(std::move(children)), clock_(clock) {}

  // Reads plans from `plans` from now on (it must outlive the reader); until
  // then the calls are UNAVAILABLE.
  void Attach(PlanSource* plans) { plans_.store(plans); }

  absl::StatusOr<v1::ListTargetAchievementsResponse> ListTargetAchievements(
      const v1::ListTargetAchievementsRequest& request);
  absl::StatusOr<v1::SummarizeTasksResponse> SummarizeTasks(
      const v1::SummarizeTasksRequest& request);
  absl::StatusOr<v1::ListOverdueTasksResponse> ListOverdueTasks(
      const v1::ListOverdueTasksRequest& request);

 private:
  absl::StatusOr<PlanSource*> Plans() const;
  // The plan and, with `cascade`, every plan implementing it, parents first.
  absl::StatusOr<std::vector<registry::v1::Plan>> PlanAndCascade(
      PlanSource& plans, const std::string& name, bool cascade);
  // The actual value of `indicator` for `unit` in `year`, on `today`.
  absl::StatusOr<absl::optional<Actual>> ActualOf(const std::string& unit,
                                                  const std::string& indicator,
                                                  int year,
                                                  absl::CivilDay today);

  RollupReader* rollups_;
  RollupReader::ChildrenFn children_;
  const Clock* clock_;
  std::atomic<PlanSource*> plans_{nullptr};
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_ACHIEVEMENT_READER_H_
