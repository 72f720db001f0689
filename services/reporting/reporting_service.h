#ifndef SERVICES_REPORTING_REPORTING_SERVICE_H_
#define SERVICES_REPORTING_REPORTING_SERVICE_H_

// The gRPC adapter of lienthong.reporting.v1.ReportingService. Rollups (read,
// watched and exported), completeness and discrepancies are served; the other
// methods answer UNIMPLEMENTED until they are built.

#include <functional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "lienthong/reporting/v1/reporting_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::reporting {

class CompletenessReader;
class FeedIndex;
class RollupReader;

class ReportingServiceImpl final : public v1::ReportingService::Service {
 public:
  // The arguments must outlive the service.
  // The arguments must outlive the service. `poll` bounds how long a watch
  // waits before checking whether its call was cancelled.
  // `unit_name` gives a unit's display name for CSV exports.
  ReportingServiceImpl(RollupReader* rollups, CompletenessReader* completeness,
                       const FeedIndex* index,
                       std::function<std::string(const std::string&)> unit_name,
                       const Authorizer* authorizer,
                       absl::Duration poll = absl::Seconds(1))
      : rollups_(rollups),
        completeness_(completeness),
        index_(index),
        unit_name_(std::move(unit_name)),
        authorizer_(authorizer),
        poll_(poll) {}

  grpc::Status GetRollup(grpc::ServerContext* context,
                         const v1::GetRollupRequest* request,
                         v1::Rollup* response) override;
  grpc::Status QueryRollups(grpc::ServerContext* context,
                            const v1::QueryRollupsRequest* request,
                            v1::QueryRollupsResponse* response) override;
  grpc::Status WatchRollups(
      grpc::ServerContext* context, const v1::WatchRollupsRequest* request,
      grpc::ServerWriter<v1::WatchRollupsResponse>* writer) override;
  grpc::Status ExportRollups(
      grpc::ServerContext* context, const v1::ExportRollupsRequest* request,
      grpc::ServerWriter<v1::ExportRollupsResponse>* writer) override;
  grpc::Status ListDiscrepancies(
      grpc::ServerContext* context, const v1::ListDiscrepanciesRequest* request,
      v1::ListDiscrepanciesResponse* response) override;
  grpc::Status GetCompleteness(grpc::ServerContext* context,
                               const v1::GetCompletenessRequest* request,
                               v1::Completeness* response) override;

 private:
  RollupReader* rollups_;
  CompletenessReader* completeness_;
  const FeedIndex* index_;
  std::function<std::string(const std::string&)> unit_name_;
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_REPORTING_SERVICE_H_
