#include "services/reporting/reporting_service.h"

#include <algorithm>
#include <set>
#include <vector>

#include "libs/server/serve.h"
#include "services/registry/hierarchy_day.h"
#include "services/reporting/achievement_reader.h"
#include "services/reporting/completeness_reader.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/rollup_export.h"
#include "services/reporting/rollup_reader.h"
#include "services/reporting/rollup_watch.h"

namespace lienthong::reporting {
namespace {

// Units grouped as on a day other than the period's last would sum members
// the caller's unit did not have then, so only readers of every unit may ask.
absl::Status AuthorizeRegrouping(const Authorizer& authorizer,
                                 const Caller& caller, absl::string_view period,
                                 const common::v1::Date& hierarchy_date) {
  if (!registry::Regroups(period, hierarchy_date)) return absl::OkStatus();
  return authorizer.Authorize(caller, "reporting.rollups.regroup", "");
}

// Every unit of a query is one the caller may read, on the last day of each
// of its periods; a query naming no unit reads them all.
absl::Status AuthorizeQuery(const Authorizer& authorizer,
                            const grpc::ServerContext& context,
                            const v1::QueryRollupsRequest& query) {
  const Caller caller = CallerOf(context);
  std::set<HierarchyDay> days;
  for (const std::string& period : query.periods()) {
    if (absl::Status allowed = AuthorizeRegrouping(authorizer, caller, period,
                                                   query.hierarchy_date());
        !allowed.ok()) {
      return allowed;
    }
    days.insert(registry::PeriodEnd(period));
  }
  if (query.units().empty()) {
    return authorizer.Authorize(caller, "reporting.rollups.read", "");
  }
  if (days.empty()) days.insert(std::nullopt);
  for (const std::string& unit : query.units()) {
    for (const HierarchyDay& day : days) {
      if (absl::Status allowed =
              authorizer.Authorize(caller, "reporting.rollups.read", unit, day);
          !allowed.ok()) {
        return allowed;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status ReportingServiceImpl::GetRollup(
    grpc::ServerContext* context, const v1::GetRollupRequest* request,
    v1::Rollup* response) {
  if (absl::Status allowed =
          AuthorizeRegrouping(*authorizer_, CallerOf(*context),
                              request->period(), request->hierarchy_date());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  return Serve(
      *context, *authorizer_, "reporting.rollups.read", request->unit(),
      registry::PeriodEnd(request->period()),
      [&] { return readers_.rollups->GetRollup(*request); }, response);
}

grpc::Status ReportingServiceImpl::QueryRollups(
    grpc::ServerContext* context, const v1::QueryRollupsRequest* request,
    v1::QueryRollupsResponse* response) {
  if (absl::Status allowed = AuthorizeQuery(*authorizer_, *context, *request);
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::QueryRollupsResponse> table =
      readers_.rollups->QueryRollups(*request);
  if (!table.ok()) return ToGrpcStatus(table.status());
  *response = *std::move(table);
  return grpc::Status::OK;
}

grpc::Status ReportingServiceImpl::WatchRollups(
    grpc::ServerContext* context, const v1::WatchRollupsRequest* request,
    grpc::ServerWriter<v1::WatchRollupsResponse>* writer) {
  if (absl::Status allowed =
          AuthorizeQuery(*authorizer_, *context, request->query());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  RollupWatch watch(readers_.rollups, readers_.index, request->query());
  bool first = true;
  while (!context->IsCancelled() && !readers_.index->closed()) {
    absl::StatusOr<std::vector<v1::Rollup>> changed =
        watch.Next(absl::Now() + poll_);
    if (!changed.ok()) return ToGrpcStatus(changed.status());
    if (changed->empty() && !first) continue;
    v1::WatchRollupsResponse response;
    for (v1::Rollup& rollup : *changed) {
      *response.add_rollups() = std::move(rollup);
    }
    if (!writer->Write(response)) break;  // the dashboard went away
    first = false;
  }
  return grpc::Status::OK;
}

grpc::Status ReportingServiceImpl::ExportRollups(
    grpc::ServerContext* context, const v1::ExportRollupsRequest* request,
    grpc::ServerWriter<v1::ExportRollupsResponse>* writer) {
  if (absl::Status allowed =
          AuthorizeQuery(*authorizer_, *context, request->query());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<v1::QueryRollupsResponse> table =
      readers_.rollups->QueryRollups(request->query());
  if (!table.ok()) return ToGrpcStatus(table.status());
  RollupExporter exporter(request->format(), readers_.unit_name);
  // Chunks of rows, so a large table streams in messages of bounded size.
  constexpr int kRowsPerChunk = 500;
  const auto& rollups = table->rollups();
  for (int first = 0; first < rollups.size(); first += kRowsPerChunk) {
    std::vector<v1::Rollup> rows(
        rollups.begin() + first,
        rollups.begin() + std::min(rollups.size(), first + kRowsPerChunk));
    v1::ExportRollupsResponse chunk;
    chunk.set_chunk(exporter.Write(rows));
    if (!writer->Write(chunk)) return grpc::Status::OK;
  }
  v1::ExportRollupsResponse last;
  last.set_chunk(exporter.Finish());
  if (!last.chunk().empty()) writer->Write(last);
  return grpc::Status::OK;
}

grpc::Status ReportingServiceImpl::ListDiscrepancies(
    grpc::ServerContext* context, const v1::ListDiscrepanciesRequest* request,
    v1::ListDiscrepanciesResponse* response) {
  return Serve(
      *context, *authorizer_, "reporting.rollups.read", request->unit(),
      registry::PeriodEnd(request->period()),
      [&] { return readers_.rollups->ListDiscrepancies(*request); }, response);
}

grpc::Status ReportingServiceImpl::GetCompleteness(
    grpc::ServerContext* context, const v1::GetCompletenessRequest* request,
    v1::Completeness* response) {
  return Serve(
      *context, *authorizer_, "reporting.completeness.read", request->unit(),
      registry::PeriodEnd(request->period()),
      [&] { return readers_.completeness->GetCompleteness(*request); },
      response);
}

grpc::Status ReportingServiceImpl::ListTargetAchievements(
    grpc::ServerContext* context,
    const v1::ListTargetAchievementsRequest* request,
    v1::ListTargetAchievementsResponse* response) {
  return Serve(
      *context, *authorizer_, "reporting.plans.read", request->plan(),
      [&] { return readers_.achievements->ListTargetAchievements(*request); },
      response);
}

grpc::Status ReportingServiceImpl::SummarizeTasks(
    grpc::ServerContext* context, const v1::SummarizeTasksRequest* request,
    v1::SummarizeTasksResponse* response) {
  return Serve(
      *context, *authorizer_, "reporting.plans.read", request->plan(),
      [&] { return readers_.achievements->SummarizeTasks(*request); },
      response);
}

grpc::Status ReportingServiceImpl::ListOverdueTasks(
    grpc::ServerContext* context, const v1::ListOverdueTasksRequest* request,
    v1::ListOverdueTasksResponse* response) {
  return Serve(
      *context, *authorizer_, "reporting.plans.read", request->unit(),
      registry::DayOf(request->as_of()),
      [&] { return readers_.achievements->ListOverdueTasks(*request); },
      response);
}

}  // namespace lienthong::reporting
