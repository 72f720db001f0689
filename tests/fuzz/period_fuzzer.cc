// Period codes ("2025-Q1", "2025-M06", "2025-6T", ...): parsing never crashes,
// and what parses prints back to a form that parses to the same period.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "libs/period/period.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<lienthong::Period> period = lienthong::Period::Parse(text);
  if (!period.ok()) return 0;
  absl::StatusOr<lienthong::Period> again =
      lienthong::Period::Parse(period->ToString());
  if (!again.ok() || !(*again == *period)) std::abort();
  lienthong::DaySpan span = period->CalendarSpan();
  if (span.last < span.first) std::abort();
  (void)period->Next();
  for (lienthong::PeriodType type :
       {lienthong::PeriodType::kMonth, lienthong::PeriodType::kQuarter,
        lienthong::PeriodType::kYear}) {
    (void)lienthong::SubPeriods(*period, type);
  }
  return 0;
}
