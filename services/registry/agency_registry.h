#ifndef SERVICES_REGISTRY_AGENCY_REGISTRY_H_
#define SERVICES_REGISTRY_AGENCY_REGISTRY_H_

// Agencies (cơ quan) and their identifier codes (QĐ 20/2020/QĐ-TTg): validation
// and storage logic, without gRPC. Agencies belong to administrative units,
// which are checked against the unit store.

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/empty.pb.h"
#include "lienthong/registry/v1/agency.pb.h"

namespace lienthong {
class Clock;
}  // namespace lienthong

namespace lienthong::registry {

class RecordStore;
class UnitStore;

// Whether `code` is an agency identifier code: 1–35 characters of dot-separated
// groups of 0-9 and A-Z, e.g. "000.00.04.G14".
bool IsAgencyCode(absl::string_view code);

class AgencyRegistry {
 public:
  // The stores and clock must outlive the registry.
  AgencyRegistry(RecordStore* records, UnitStore* units, const Clock* clock)
      : records_(records), units_(units), clock_(clock) {}

  absl::StatusOr<v1::Agency> GetAgency(const v1::GetAgencyRequest& request);
  absl::StatusOr<v1::ListAgenciesResponse> ListAgencies(
      const v1::ListAgenciesRequest& request);
  absl::StatusOr<v1::Agency> CreateAgency(
      const v1::CreateAgencyRequest& request);
  absl::StatusOr<v1::Agency> UpdateAgency(
      const v1::UpdateAgencyRequest& request);
  absl::StatusOr<google::protobuf::Empty> DeleteAgency(
      const v1::DeleteAgencyRequest& request);

 private:
  absl::Status CheckReferences(const v1::Agency& agency);

  RecordStore* records_;
  UnitStore* units_;
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_AGENCY_REGISTRY_H_
