#ifndef SERVICES_REGISTRY_SCHEDULE_REGISTRY_H_
#define SERVICES_REGISTRY_SCHEDULE_REGISTRY_H_

// Reporting schedules (data sets) and the resolution of a period under one:
// data window, deadlines and input lock, computed by libs/period so every
// service agrees. No gRPC here.

#include "absl/status/statusor.h"
#include "lienthong/registry/v1/reporting_schedule.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class RecordStore;

class ScheduleRegistry {
 public:
  // `records` (which also holds the indicators) and `clock` must outlive it.
  ScheduleRegistry(RecordStore* records, const Clock* clock)
      : records_(records), clock_(clock) {}

  absl::StatusOr<v1::ReportingSchedule> GetSchedule(
      const v1::GetScheduleRequest& request);
  absl::StatusOr<v1::ListSchedulesResponse> ListSchedules(
      const v1::ListSchedulesRequest& request);
  absl::StatusOr<v1::ReportingSchedule> CreateSchedule(
      const v1::CreateScheduleRequest& request);
  absl::StatusOr<v1::ReportingSchedule> UpdateSchedule(
      const v1::UpdateScheduleRequest& request);
  absl::StatusOr<v1::ResolvePeriodResponse> ResolvePeriod(
      const v1::ResolvePeriodRequest& request);

 private:
  absl::Status Check(const v1::ReportingSchedule& schedule);

  RecordStore* records_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SCHEDULE_REGISTRY_H_
