#ifndef SERVICES_REGISTRY_INDICATOR_REGISTRY_H_
#define SERVICES_REGISTRY_INDICATOR_REGISTRY_H_

// The indicator catalog: definitions are versioned, so a changed definition
// takes effect from a date and values reported under the old one keep their
// meaning. Validation ties the value type to the aggregation rules that make
// sense for it (percentages are never summed). No gRPC here.

#include "absl/status/statusor.h"
#include "lienthong/registry/v1/indicator.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class RecordStore;

class IndicatorRegistry {
 public:
  // `records` and `clock` must outlive the registry.
  IndicatorRegistry(RecordStore* records, const Clock* clock)
      : records_(records), clock_(clock) {}

  absl::StatusOr<v1::Indicator> GetIndicator(
      const v1::GetIndicatorRequest& request);
  absl::StatusOr<v1::ListIndicatorsResponse> ListIndicators(
      const v1::ListIndicatorsRequest& request);
  absl::StatusOr<v1::Indicator> CreateIndicator(
      const v1::CreateIndicatorRequest& request);
  absl::StatusOr<v1::Indicator> UpdateIndicator(
      const v1::UpdateIndicatorRequest& request);
  absl::StatusOr<v1::ListIndicatorVersionsResponse> ListIndicatorVersions(
      const v1::ListIndicatorVersionsRequest& request);

 private:
  // Every version of `code`, oldest first (empty if unknown).
  absl::StatusOr<std::vector<v1::Indicator>> Versions(const std::string& code);
  // Field checks, plus the weight indicator's existence.
  absl::Status Check(const v1::Indicator& indicator);

  RecordStore* records_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_INDICATOR_REGISTRY_H_
