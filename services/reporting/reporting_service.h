#ifndef SERVICES_REPORTING_REPORTING_SERVICE_H_
#define SERVICES_REPORTING_REPORTING_SERVICE_H_

// The gRPC adapter of lienthong.reporting.v1.ReportingService over the
// readers of rollups, completeness and achievement.

#include <functional>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "lienthong/reporting/v1/reporting_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::reporting {

class AchievementReader;
class CompletenessReader;
class FeedIndex;
class RollupReader;

// What the service reads through; each must outlive it.
struct ReportingReaders {
  RollupReader* rollups = nullptr;
  CompletenessReader* completeness = nullptr;
  AchievementReader* achievements = nullptr;
  const FeedIndex* index = nullptr;
  // A unit's display name, for CSV exports.
  std::function<std::string(const std::string& unit)> unit_name;
};

class ReportingServiceImpl final : public v1::ReportingService::Service {
 public:
  // `poll` bounds how long a watch waits before checking whether its call was
  // cancelled.
  ReportingServiceImpl(ReportingReaders readers, const Authorizer* authorizer,
                       absl::Duration poll = absl::Seconds(1))
      : readers_(std::move(readers)), authorizer_(authorizer), poll_(poll) {}

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
  grpc::Status ListTargetAchievements(
      grpc::ServerContext* context,
      const v1::ListTargetAchievementsRequest* request,
      v1::ListTargetAchievementsResponse* response) override;
  grpc::Status SummarizeTasks(grpc::ServerContext* context,
                              const v1::SummarizeTasksRequest* request,
                              v1::SummarizeTasksResponse* response) override;
  grpc::Status ListOverdueTasks(
      grpc::ServerContext* context, const v1::ListOverdueTasksRequest* request,
      v1::ListOverdueTasksResponse* response) override;

 private:
  ReportingReaders readers_;
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_REPORTING_SERVICE_H_
