#include "libs/period/period.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 9999;

absl::Status InvalidPeriod(absl::string_view text, absl::string_view why) {
  return WithErrorInfo(
      absl::InvalidArgumentError(absl::StrCat(
          "invalid period \"", text, "\": ", why,
          "; expected e.g. 2025-M03, 2025-Q1, 2025-H1, 2025 or 2025-C09")),
      "INVALID_PERIOD", {{"period", std::string(text)}});
}

int MaxNumber(PeriodType type) {
  switch (type) {
    case PeriodType::kMonth:
    case PeriodType::kCumulative:
      return 12;
    case PeriodType::kQuarter:
      return 4;
    case PeriodType::kHalfYear:
      return 2;
    case PeriodType::kYear:
      return 0;
  }
  return 0;
}

// Months per period of `type` (cumulative periods count from January).
int MonthsPer(PeriodType type) {
  switch (type) {
    case PeriodType::kMonth:
      return 1;
    case PeriodType::kQuarter:
      return 3;
    case PeriodType::kHalfYear:
      return 6;
    case PeriodType::kYear:
      return 12;
    case PeriodType::kCumulative:
      return 1;
  }
  return 1;
}

const char* TypeName(PeriodType type) {
  switch (type) {
    case PeriodType::kMonth:
      return "months";
    case PeriodType::kQuarter:
      return "quarters";
    case PeriodType::kHalfYear:
      return "half years";
    case PeriodType::kYear:
      return "years";
    case PeriodType::kCumulative:
      return "cumulative periods";
  }
  return "?";
}

}  // namespace

absl::StatusOr<Period> Period::Of(PeriodType type, int year, int number) {
  if (year < kMinYear || year > kMaxYear) {
    return InvalidPeriod(absl::StrCat(year), "year must be within 1900..9999");
  }
  int max = MaxNumber(type);
  if ((max == 0 && number != 0) || (max > 0 && (number < 1 || number > max))) {
    return InvalidPeriod(absl::StrCat(year, "/", number),
                         absl::StrCat("number must be within 1..", max));
  }
  return Period(type, year, number);
}

absl::StatusOr<Period> Period::Parse(absl::string_view text) {
  int year = 0;
  if (text.size() == 4) {
    if (!absl::SimpleAtoi(text, &year))
      return InvalidPeriod(text, "not a year");
    return Of(PeriodType::kYear, year, 0);
  }
  if (text.size() < 7 || text[4] != '-' ||
      !absl::SimpleAtoi(text.substr(0, 4), &year)) {
    return InvalidPeriod(text, "must start with a 4-digit year");
  }
  PeriodType type;
  size_t digits;
  switch (text[5]) {
    case 'M':
      type = PeriodType::kMonth;
      digits = 2;
      break;
    case 'Q':
      type = PeriodType::kQuarter;
      digits = 1;
      break;
    case 'H':
      type = PeriodType::kHalfYear;
      digits = 1;
      break;
    case 'C':
      type = PeriodType::kCumulative;
      digits = 2;
      break;
    default:
      return InvalidPeriod(text, "unknown period letter (M, Q, H or C)");
  }
  absl::string_view number_text = text.substr(6);
  int number = 0;
  if (number_text.size() != digits ||
      number_text.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(number_text, &number)) {
    return InvalidPeriod(
        text, absl::StrCat("expected ", digits, " digit(s) after the letter"));
  }
  absl::StatusOr<Period> period = Of(type, year, number);
  if (!period.ok()) {
    return InvalidPeriod(
        text, absl::StrCat("number must be within 1..", MaxNumber(type)));
  }
  return period;
}

Period Period::Containing(PeriodType type, absl::CivilDay day) {
  int year = static_cast<int>(day.year());
  int month = day.month();
  switch (type) {
    case PeriodType::kMonth:
    case PeriodType::kCumulative:
      return Period(type, year, month);
    case PeriodType::kQuarter:
      return Period(type, year, (month - 1) / 3 + 1);
    case PeriodType::kHalfYear:
      return Period(type, year, (month - 1) / 6 + 1);
    case PeriodType::kYear:
      return Period(type, year, 0);
  }
  return Period(type, year, 0);
}

std::string Period::ToString() const {
  switch (type_) {
    case PeriodType::kMonth:
      return absl::StrFormat("%04d-M%02d", year_, number_);
    case PeriodType::kQuarter:
      return absl::StrFormat("%04d-Q%d", year_, number_);
    case PeriodType::kHalfYear:
      return absl::StrFormat("%04d-H%d", year_, number_);
    case PeriodType::kYear:
      return absl::StrFormat("%04d", year_);
    case PeriodType::kCumulative:
      return absl::StrFormat("%04d-C%02d", year_, number_);
  }
  return "";
}

DaySpan Period::CalendarSpan() const {
  int first_month = 1;
  int last_month = 12;
  if (type_ == PeriodType::kCumulative) {
    last_month = number_;
  } else if (type_ != PeriodType::kYear) {
    int months = MonthsPer(type_);
    first_month = (number_ - 1) * months + 1;
    last_month = first_month + months - 1;
  }
  absl::CivilDay first(year_, first_month, 1);
  // The day before the first of the following month: right in leap years too.
  absl::CivilDay last =
      absl::CivilDay(absl::CivilMonth(year_, last_month) + 1) - 1;
  return {first, last};
}

Period Period::Next() const {
  if (type_ == PeriodType::kYear) return Period(type_, year_ + 1, 0);
  int max = MaxNumber(type_);
  return number_ == max ? Period(type_, year_ + 1, 1)
                        : Period(type_, year_, number_ + 1);
}

absl::StatusOr<std::vector<Period>> SubPeriods(const Period& period,
                                               PeriodType type) {
  int months = MonthsPer(period.type());
  int step = MonthsPer(type);
  // Cumulative periods overlap, so nothing is made of them or of anything.
  bool cumulative = period.type() == PeriodType::kCumulative ||
                    type == PeriodType::kCumulative;
  if (cumulative || months % step != 0) {
    return WithErrorInfo(
        absl::InvalidArgumentError(absl::StrCat(
            period.ToString(), " is not made of ", TypeName(type))),
        "PERIOD_NOT_DIVISIBLE",
        {{"period", period.ToString()}, {"sub_period_type", TypeName(type)}});
  }
  // Calendar periods start at a multiple of their length, so sub-periods of a
  // length dividing it tile it exactly from its first day.
  std::vector<Period> out;
  out.reserve(months / step);
  Period sub = Period::Containing(type, period.CalendarSpan().first);
  for (int i = 0; i < months / step; ++i, sub = sub.Next()) out.push_back(sub);
  return out;
}

}  // namespace lienthong
