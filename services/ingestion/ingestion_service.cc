#include "services/ingestion/ingestion_service.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "libs/server/serve.h"
#include "libs/status/status_details.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/value_intake.h"
#include "services/ingestion/value_store.h"
#include "services/registry/hierarchy_day.h"

namespace lienthong::ingestion {
namespace {

// The caller may write every unit the batch reports for; the security policy
// decides (by default, everyone may).
absl::Status AuthorizeUnits(const Authorizer& authorizer, const Caller& caller,
                            const v1::SubmitValuesRequest& batch) {
  absl::Status allowed = authorizer.Authorize(caller, "ingestion.values.submit",
                                              batch.options().schedule());
  std::set<std::string> units;
  for (const v1::ValueRow& row : batch.rows()) {
    if (!allowed.ok()) break;
    if (units.insert(row.unit()).second) {
      allowed =
          authorizer.Authorize(caller, "ingestion.values.write", row.unit());
    }
  }
  return allowed;
}

}  // namespace

grpc::Status IngestionServiceImpl::Submit(
    grpc::ServerContext* context, const v1::SubmitValuesRequest& request,
    int max_rows, v1::ImportSummary* response) {
  const Caller caller = CallerOf(*context);
  if (absl::Status allowed = AuthorizeUnits(*authorizer_, caller, request);
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  grpc::Status status = Serve(
      *context, *authorizer_, "ingestion.values.submit",
      request.options().schedule(),
      [&] { return intake_->Submit(request, caller.identity, max_rows); },
      response);
  if (status.ok() && response->last_sequence() > 0) {
    notifier_->Notify(response->last_sequence());
  }
  return status;
}

grpc::Status IngestionServiceImpl::SubmitValues(
    grpc::ServerContext* context, const v1::SubmitValuesRequest* request,
    v1::ImportSummary* response) {
  return Submit(context, *request, 50000, response);
}

grpc::Status IngestionServiceImpl::StreamValues(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::StreamValuesRequest>* reader,
    v1::ImportSummary* response) {
  // The whole stream is one batch: gathered, then validated and written at
  // once.
  v1::SubmitValuesRequest batch;
  v1::StreamValuesRequest message;
  bool first = true;
  while (reader->Read(&message)) {
    if (first != message.has_options()) {
      return ToGrpcStatus(InvalidArgumentWithViolations(
          "the first message carries the options, the others rows",
          "INVALID_STREAM",
          {{first ? "options" : "rows",
            first ? "must come first" : "must not repeat"}}));
    }
    if (first) {
      *batch.mutable_options() = message.options();
    } else {
      for (v1::ValueRow& row : *message.mutable_rows()->mutable_rows()) {
        *batch.add_rows() = std::move(row);
      }
    }
    first = false;
  }
  if (first) {
    return ToGrpcStatus(InvalidArgumentWithViolations(
        "empty stream", "INVALID_STREAM", {{"options", "must come first"}}));
  }
  // A national month is up to ~1 M values; one stream may carry it.
  return Submit(context, batch, 1000000, response);
}

grpc::Status IngestionServiceImpl::ImportBatches(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportBatchesResponse,
                             v1::ImportBatchesRequest>* stream) {
  const Caller caller = CallerOf(*context);
  v1::ImportBatchesRequest message;
  for (int64_t index = 0; stream->Read(&message); ++index) {
    v1::SubmitValuesRequest batch;
    *batch.mutable_options() = std::move(*message.mutable_options());
    batch.mutable_rows()->Swap(message.mutable_rows());
    // Each batch is authorized, validated and made durable on its own, so a
    // refused one does not end the stream.
    BatchOutcome outcome;
    outcome.status = AuthorizeUnits(*authorizer_, caller, batch);
    if (outcome.status.ok()) {
      outcome = intake_->SubmitBatch(batch, caller.identity);
    }
    if (outcome.status.ok() && outcome.summary.last_sequence() > 0) {
      notifier_->Notify(outcome.summary.last_sequence());
    }
    v1::ImportBatchesResponse response;
    response.set_batch(index);
    response.set_code(static_cast<int32_t>(outcome.status.code()));
    response.set_message(std::string(outcome.status.message()));
    *response.mutable_summary() = std::move(outcome.summary);
    if (!stream->Write(response)) break;  // the client went away
  }
  return grpc::Status::OK;
}

grpc::Status IngestionServiceImpl::ListValues(
    grpc::ServerContext* context, const v1::ListValuesRequest* request,
    v1::ListValuesResponse* response) {
  return Serve(
      *context, *authorizer_, "ingestion.values.list", request->unit(),
      registry::PeriodEnd(request->period()),
      [&] { return intake_->ListValues(*request); }, response);
}

grpc::Status IngestionServiceImpl::ListValueRevisions(
    grpc::ServerContext* context, const v1::ListValueRevisionsRequest* request,
    v1::ListValueRevisionsResponse* response) {
  return Serve(
      *context, *authorizer_, "ingestion.values.list", request->unit(),
      registry::PeriodEnd(request->period()),
      [&] { return intake_->ListValueRevisions(*request); }, response);
}

grpc::Status IngestionServiceImpl::GetChangeFeedPosition(
    grpc::ServerContext* context,
    const v1::GetChangeFeedPositionRequest* request,
    v1::GetChangeFeedPositionResponse* response) {
  return Serve(
      *context, *authorizer_, "ingestion.changes.watch", "changes",
      [&] { return intake_->GetChangeFeedPosition(*request); }, response);
}

grpc::Status IngestionServiceImpl::WatchChanges(
    grpc::ServerContext* context, const v1::WatchChangesRequest* request,
    grpc::ServerWriter<v1::WatchChangesResponse>* writer) {
  if (absl::Status allowed = authorizer_->Authorize(
          CallerOf(*context), "ingestion.changes.watch", request->unit());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  if (request->max_batch() < 0 || request->after_sequence() < 0) {
    return ToGrpcStatus(InvalidArgumentWithViolations(
        "invalid watch", "INVALID_WATCH",
        {{request->max_batch() < 0 ? "max_batch" : "after_sequence",
          "must not be negative"}}));
  }
  int limit =
      request->max_batch() == 0 ? 500 : std::min(request->max_batch(), 10000);
  int64_t after = request->after_sequence();
  while (!context->IsCancelled() && !notifier_->closed()) {
    absl::StatusOr<std::vector<v1::Change>> changes =
        store_->ChangesAfter(after, limit);
    if (!changes.ok()) return ToGrpcStatus(changes.status());
    if (changes->empty()) {
      notifier_->WaitPast(after, absl::Now() + poll_);
      continue;
    }
    absl::StatusOr<int64_t> head = store_->HeadSequence();
    if (!head.ok()) return ToGrpcStatus(head.status());
    v1::WatchChangesResponse response;
    for (v1::Change& change : *changes) {
      after = change.sequence();
      bool wanted = (request->unit().empty() ||
                     change.value().unit() == request->unit()) &&
                    (request->schedule().empty() ||
                     change.value().schedule() == request->schedule());
      if (wanted) *response.add_changes() = std::move(change);
    }
    response.set_head_sequence(*head);
    if (response.changes_size() > 0 && !writer->Write(response)) break;
  }
  return grpc::Status::OK;
}

}  // namespace lienthong::ingestion
