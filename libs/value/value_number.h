#ifndef LIBS_VALUE_VALUE_NUMBER_H_
#define LIBS_VALUE_VALUE_NUMBER_H_

// An indicator value on one numeric scale, for ranges, comparisons and
// weights: counts, amounts and percents as they are, ratios in percent.

#include "absl/types/optional.h"
#include "lienthong/common/v1/value.pb.h"

namespace lienthong {

// Ratios as numerator·100/denominator (multiplying first keeps 1840/2300 at
// exactly 80); nullopt for flags, unset values and ratios over 0.
absl::optional<double> NumericValue(const common::v1::Value& value);

}  // namespace lienthong

#endif  // LIBS_VALUE_VALUE_NUMBER_H_
