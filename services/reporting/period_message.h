#ifndef SERVICES_REPORTING_PERIOD_MESSAGE_H_
#define SERVICES_REPORTING_PERIOD_MESSAGE_H_

// A period as the contract shows it: id, type, year, number, calendar span.

#include "libs/period/period.h"
#include "lienthong/common/v1/period.pb.h"

namespace lienthong::reporting {

common::v1::Period PeriodMessage(const Period& period);

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_PERIOD_MESSAGE_H_
