#include "services/reporting/completeness_reader.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/period/period.h"
#include "libs/status/status_details.h"
#include "services/registry/schedule_dates.h"
#include "services/reporting/completeness.h"
#include "services/reporting/feed_index.h"

namespace lienthong::reporting {
namespace {

class Inputs final : public CompletenessInputs {
 public:
  Inputs(const FeedIndex& index, const CompletenessReader::ChildrenFn& children,
         const CompletenessReader::UnitFn& units)
      : index_(index), children_(children), units_(units) {}

  absl::StatusOr<std::vector<std::string>> ChildrenOn(
      const std::string& unit, absl::CivilDay date) override {
    return children_(unit, date);
  }
  absl::StatusOr<registry::v1::AdminUnit> GetUnit(
      const std::string& name) override {
    return units_(name);
  }
  std::map<std::string, bool> ReportedIndicators(
      const std::string& unit, const std::string& period) override {
    return index_.ReportedIndicators(unit, period);
  }

 private:
  const FeedIndex& index_;
  const CompletenessReader::ChildrenFn& children_;
  const CompletenessReader::UnitFn& units_;
};

}  // namespace

absl::StatusOr<v1::Completeness> CompletenessReader::GetCompleteness(
    const v1::GetCompletenessRequest& request) {
  std::vector<FieldViolation> violations;
  if (!absl::StartsWith(request.schedule(), "schedules/")) {
    violations.push_back({"schedule", "must be schedules/{id}"});
  }
  if (!absl::StartsWith(request.unit(), "units/")) {
    violations.push_back({"unit", "must be units/{code}"});
  }
  absl::StatusOr<Period> period = Period::Parse(request.period());
  if (!period.ok()) {
    violations.push_back({"period", std::string(period.status().message())});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid completeness request",
                                         "INVALID_COMPLETENESS_REQUEST",
                                         violations);
  }
  absl::StatusOr<registry::v1::ReportingSchedule> schedule =
      schedules_(request.schedule());
  if (!schedule.ok()) return schedule.status();
  if (registry::PeriodTypeOf(schedule->period_type()) != period->type()) {
    return InvalidArgumentWithViolations(
        "the period does not match the schedule", "PERIOD_TYPE_MISMATCH",
        {{"period",
          absl::StrCat(request.period(), " is not a ",
                       common::v1::PeriodType_Name(schedule->period_type()))}});
  }
  Inputs inputs(*index_, children_, units_);
  return ComputeCompleteness(inputs, *schedule, request.unit(), *period);
}

}  // namespace lienthong::reporting
