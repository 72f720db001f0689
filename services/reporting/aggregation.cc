#include "services/reporting/aggregation.h"

#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::reporting {
namespace {

using common::v1::Value;
using registry::v1::AggregationRule;
using registry::v1::ValueType;
using Result = absl::StatusOr<absl::optional<Value>>;

// The rules each value type takes: the indicator registry's table
// (services/registry/indicator_registry.cc), plus MIN/MAX of ratios, which
// compare as numerator/denominator.
bool RuleFitsType(AggregationRule rule, ValueType type) {
  switch (rule) {
    case registry::v1::AGGREGATION_RULE_SUM:
      return type == registry::v1::VALUE_TYPE_COUNT ||
             type == registry::v1::VALUE_TYPE_AMOUNT;
    case registry::v1::AGGREGATION_RULE_RATIO_OF_SUMS:
      return type == registry::v1::VALUE_TYPE_RATIO;
    case registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN:
      // Percentages are never summed or plainly averaged: only weighted.
      return type == registry::v1::VALUE_TYPE_PERCENT ||
             type == registry::v1::VALUE_TYPE_AMOUNT;
    case registry::v1::AGGREGATION_RULE_SHARE_TRUE:
      return type == registry::v1::VALUE_TYPE_BOOLEAN;
    case registry::v1::AGGREGATION_RULE_MIN:
    case registry::v1::AGGREGATION_RULE_MAX:
      return type == registry::v1::VALUE_TYPE_COUNT ||
             type == registry::v1::VALUE_TYPE_AMOUNT ||
             type == registry::v1::VALUE_TYPE_PERCENT ||
             type == registry::v1::VALUE_TYPE_RATIO;
    case registry::v1::AGGREGATION_RULE_LAST:
      return type != registry::v1::VALUE_TYPE_UNSPECIFIED;
    default:
      return false;
  }
}

// Whether `value` is a valid value of `type`, by ingestion's rules; the ratio
// check also keeps MIN/MAX comparisons and sums well defined.
bool IsValueOf(const Value& value, ValueType type) {
  switch (type) {
    case registry::v1::VALUE_TYPE_COUNT:
      return value.has_count() && value.count() >= 0;
    case registry::v1::VALUE_TYPE_AMOUNT:
      return value.has_amount() && std::isfinite(value.amount());
    case registry::v1::VALUE_TYPE_PERCENT:
      return value.has_percent() && std::isfinite(value.percent());
    case registry::v1::VALUE_TYPE_RATIO:
      return value.has_ratio() && std::isfinite(value.ratio().numerator()) &&
             std::isfinite(value.ratio().denominator()) &&
             value.ratio().numerator() >= 0 && value.ratio().denominator() > 0;
    case registry::v1::VALUE_TYPE_BOOLEAN:
      return value.has_flag();
    default:
      return false;
  }
}

absl::Status OutOfRange(absl::string_view what) {
  return WithErrorInfo(
      absl::OutOfRangeError(absl::StrCat("aggregate overflows: ", what)),
      "AGGREGATE_OUT_OF_RANGE");
}

// `value` of the same kind as `type` (amount or percent).
Value Real(ValueType type, double value) {
  Value out;
  if (type == registry::v1::VALUE_TYPE_PERCENT) {
    out.set_percent(value);
  } else {
    out.set_amount(value);
  }
  return out;
}

Result Sum(ValueType type, absl::Span<const Contribution> inputs) {
  Value out;
  if (type == registry::v1::VALUE_TYPE_COUNT) {
    int64_t total = 0;
    for (const Contribution& input : inputs) {
      if (__builtin_add_overflow(total, input.value.count(), &total)) {
        return OutOfRange("the count exceeds int64");
      }
    }
    out.set_count(total);
    return out;
  }
  double total = 0;
  for (const Contribution& input : inputs) total += input.value.amount();
  if (!std::isfinite(total)) return OutOfRange("the amount is not finite");
  out.set_amount(total);
  return out;
}

Result RatioOfSums(absl::Span<const Contribution> inputs) {
  double numerator = 0;
  double denominator = 0;
  for (const Contribution& input : inputs) {
    numerator += input.value.ratio().numerator();
    denominator += input.value.ratio().denominator();
  }
  if (!std::isfinite(numerator) || !std::isfinite(denominator)) {
    return OutOfRange("the ratio's parts are not finite");
  }
  Value out;
  out.mutable_ratio()->set_numerator(numerator);
  out.mutable_ratio()->set_denominator(denominator);
  return out;
}

Result WeightedMean(ValueType type, absl::Span<const Contribution> inputs) {
  double weighted = 0;
  double weights = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].weight.has_value()) continue;
    double weight = *inputs[i].weight;
    // A negative weight could make the weights sum to 0 with values left over.
    if (!std::isfinite(weight) || weight < 0) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              "input ", i, " has weight ", weight, "; weights must be >= 0")),
          "INVALID_WEIGHT", {{"input", absl::StrCat(i)}});
    }
    const Value& value = inputs[i].value;
    weighted +=
        weight * (value.has_percent() ? value.percent() : value.amount());
    weights += weight;
  }
  if (weights == 0) return absl::optional<Value>();
  double mean = weighted / weights;
  if (!std::isfinite(mean)) return OutOfRange("the weighted mean");
  return Real(type, mean);
}

Result ShareTrue(absl::Span<const Contribution> inputs) {
  int64_t trues = 0;
  for (const Contribution& input : inputs) trues += input.value.flag() ? 1 : 0;
  Value out;
  out.set_percent(100.0 * static_cast<double>(trues) /
                  static_cast<double>(inputs.size()));
  return out;
}

// Whether `a` is smaller than `b`, both valid values of one comparable type.
bool Less(const Value& a, const Value& b) {
  switch (a.kind_case()) {
    case Value::kCount:
      return a.count() < b.count();
    case Value::kAmount:
      return a.amount() < b.amount();
    case Value::kPercent:
      return a.percent() < b.percent();
    case Value::kRatio:
      // Denominators are > 0, so cross-multiplying keeps the order.
      return a.ratio().numerator() * b.ratio().denominator() <
             b.ratio().numerator() * a.ratio().denominator();
    default:
      return false;
  }
}

Result Extreme(bool largest, absl::Span<const Contribution> inputs) {
  const Value* best = &inputs[0].value;
  for (const Contribution& input : inputs) {
    if (largest ? Less(*best, input.value) : Less(input.value, *best)) {
      best = &input.value;
    }
  }
  return *best;
}

Result Last(absl::Span<const Contribution> inputs) {
  const Contribution* last = &inputs[0];
  for (const Contribution& input : inputs) {
    if (input.order >= last->order) last = &input;
  }
  return last->value;
}

}  // namespace

absl::StatusOr<absl::optional<Value>> Aggregate(
    AggregationRule rule, ValueType type,
    absl::Span<const Contribution> inputs) {
  if (rule == registry::v1::AGGREGATION_RULE_UNSPECIFIED) {
    // The indicator is misconfigured, not the request.
    return WithErrorInfo(
        absl::FailedPreconditionError("the indicator has no aggregation rule"),
        "AGGREGATION_RULE_UNSPECIFIED");
  }
  if (!RuleFitsType(rule, type)) {
    return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                             AggregationRule_Name(rule), " does not aggregate ",
                             registry::v1::ValueType_Name(type))),
                         "AGGREGATION_RULE_MISMATCH",
                         {{"rule", AggregationRule_Name(rule)},
                          {"value_type", registry::v1::ValueType_Name(type)}});
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!IsValueOf(inputs[i].value, type)) {
      return WithErrorInfo(
          absl::InvalidArgumentError(
              absl::StrCat("input ", i, " is not a valid ",
                           registry::v1::ValueType_Name(type), ": ",
                           inputs[i].value.ShortDebugString())),
          "VALUE_TYPE_MISMATCH",
          {{"input", absl::StrCat(i)},
           {"value_type", registry::v1::ValueType_Name(type)}});
    }
  }
  if (inputs.empty()) return absl::optional<Value>();
  switch (rule) {
    case registry::v1::AGGREGATION_RULE_SUM:
      return Sum(type, inputs);
    case registry::v1::AGGREGATION_RULE_RATIO_OF_SUMS:
      return RatioOfSums(inputs);
    case registry::v1::AGGREGATION_RULE_WEIGHTED_MEAN:
      return WeightedMean(type, inputs);
    case registry::v1::AGGREGATION_RULE_SHARE_TRUE:
      return ShareTrue(inputs);
    case registry::v1::AGGREGATION_RULE_MIN:
      return Extreme(/*largest=*/false, inputs);
    case registry::v1::AGGREGATION_RULE_MAX:
      return Extreme(/*largest=*/true, inputs);
    case registry::v1::AGGREGATION_RULE_LAST:
      return Last(inputs);
    default:
      // RuleFitsType refused every other rule.
      return absl::InternalError("unhandled aggregation rule");
  }
}

bool RollsUpAcrossPeriods(AggregationRule rule) {
  switch (rule) {
    case registry::v1::AGGREGATION_RULE_SUM:
    case registry::v1::AGGREGATION_RULE_RATIO_OF_SUMS:
    case registry::v1::AGGREGATION_RULE_MIN:
    case registry::v1::AGGREGATION_RULE_MAX:
    case registry::v1::AGGREGATION_RULE_LAST:
      return true;
    default:
      return false;
  }
}

}  // namespace lienthong::reporting
