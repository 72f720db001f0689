#ifndef LIBS_PERIOD_PERIOD_H_
#define LIBS_PERIOD_PERIOD_H_

// Reporting periods and their canonical string forms, the one parser every
// service uses: "2025-M03" (month), "2025-Q1" (quarter), "2025-H1" (half year),
// "2025" (year), "2025-C09" (cumulative, January through September).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace lienthong {

enum class PeriodType { kMonth, kQuarter, kHalfYear, kYear, kCumulative };

// An inclusive span of days.
struct DaySpan {
  absl::CivilDay first;
  absl::CivilDay last;

  friend bool operator==(const DaySpan& a, const DaySpan& b) {
    return a.first == b.first && a.last == b.last;
  }
  bool Contains(absl::CivilDay day) const {
    return first <= day && day <= last;
  }
};

// One period. `number` is the month (1–12), quarter (1–4), half (1–2), the last
// month of a cumulative period (1–12), or 0 for a year.
class Period {
 public:
  // Parses a canonical form; INVALID_ARGUMENT (reason INVALID_PERIOD)
  // otherwise.
  static absl::StatusOr<Period> Parse(absl::string_view text);
  // A period from its parts; INVALID_ARGUMENT when they do not name one.
  static absl::StatusOr<Period> Of(PeriodType type, int year, int number);
  // The period of `type` that contains `day` (calendar periods).
  static Period Containing(PeriodType type, absl::CivilDay day);

  PeriodType type() const { return type_; }
  int year() const { return year_; }
  int number() const { return number_; }

  // The canonical form, e.g. "2025-Q1".
  std::string ToString() const;
  // The calendar days the period names (cumulative periods start on 1 January).
  DaySpan CalendarSpan() const;
  // The same type's next period (cumulative periods advance their last month).
  Period Next() const;

  friend bool operator==(const Period& a, const Period& b) {
    return a.type_ == b.type_ && a.year_ == b.year_ && a.number_ == b.number_;
  }

 private:
  Period(PeriodType type, int year, int number)
      : type_(type), year_(year), number_(number) {}

  PeriodType type_;
  int year_;
  int number_;
};

// The periods of `type` that make up `period`, in order: 2025-Q2 of months ->
// 2025-M04, M05, M06; 2025 of quarters -> Q1..Q4; a period of its own type ->
// itself. INVALID_ARGUMENT (reason PERIOD_NOT_DIVISIBLE) when `type` does not
// divide `period` (a quarter of half-years, a month of quarters, cumulative
// periods, which overlap).
absl::StatusOr<std::vector<Period>> SubPeriods(const Period& period,
                                               PeriodType type);

}  // namespace lienthong

#endif  // LIBS_PERIOD_PERIOD_H_
