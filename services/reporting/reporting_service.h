#ifndef SERVICES_REPORTING_REPORTING_SERVICE_H_
#define SERVICES_REPORTING_REPORTING_SERVICE_H_

// The gRPC adapter of lienthong.reporting.v1.ReportingService. Rollups (read
// and watched), completeness and discrepancies are served; the other methods
// answer UNIMPLEMENTED until they are built.

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
  ReportingServiceImpl(RollupReader* rollups, CompletenessReader* completeness,
                       const FeedIndex* index, const Authorizer* authorizer,
                       absl::Duration poll = absl::Seconds(1))
      : rollups_(rollups),
        completeness_(completeness),
        index_(index),
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
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_REPORTING_SERVICE_H_
