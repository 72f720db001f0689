#include "services/reporting/period_message.h"

#include "services/registry/dates.h"

namespace lienthong::reporting {
namespace {

common::v1::PeriodType ContractType(PeriodType type) {
  switch (type) {
    case PeriodType::kMonth:
      return common::v1::PERIOD_TYPE_MONTH;
    case PeriodType::kQuarter:
      return common::v1::PERIOD_TYPE_QUARTER;
    case PeriodType::kHalfYear:
      return common::v1::PERIOD_TYPE_HALF_YEAR;
    case PeriodType::kYear:
      return common::v1::PERIOD_TYPE_YEAR;
    case PeriodType::kCumulative:
      return common::v1::PERIOD_TYPE_CUMULATIVE;
  }
  return common::v1::PERIOD_TYPE_UNSPECIFIED;
}

}  // namespace

common::v1::Period PeriodMessage(const Period& period) {
  common::v1::Period out;
  out.set_id(period.ToString());
  out.set_type(ContractType(period.type()));
  out.set_year(period.year());
  out.set_number(period.number());
  *out.mutable_calendar_span()->mutable_start() =
      registry::ToDate(period.CalendarSpan().first);
  *out.mutable_calendar_span()->mutable_end() =
      registry::ToDate(period.CalendarSpan().last);
  return out;
}

}  // namespace lienthong::reporting
