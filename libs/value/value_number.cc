#include "libs/value/value_number.h"

namespace lienthong {

absl::optional<double> NumericValue(const common::v1::Value& value) {
  switch (value.kind_case()) {
    case common::v1::Value::kCount:
      return static_cast<double>(value.count());
    case common::v1::Value::kAmount:
      return value.amount();
    case common::v1::Value::kPercent:
      return value.percent();
    case common::v1::Value::kRatio:
      if (value.ratio().denominator() == 0) return absl::nullopt;
      return value.ratio().numerator() * 100 / value.ratio().denominator();
    default:
      return absl::nullopt;
  }
}

}  // namespace lienthong
