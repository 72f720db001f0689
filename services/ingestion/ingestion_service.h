#ifndef SERVICES_INGESTION_INGESTION_SERVICE_H_
#define SERVICES_INGESTION_INGESTION_SERVICE_H_

// The gRPC adapter of lienthong.ingestion.v1.IngestionService over ValueIntake.
// Sync handlers: intake waits on the disk (group commit), and a feed watcher
// holds its thread while it waits for changes.

#include "absl/time/time.h"
#include "lienthong/ingestion/v1/ingestion_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::ingestion {

class ChangeNotifier;
class ValueIntake;
class ValueStore;

class IngestionServiceImpl final : public v1::IngestionService::Service {
 public:
  // The arguments must outlive the service. `poll` bounds how long a feed
  // watcher waits before checking whether its call was cancelled.
  IngestionServiceImpl(ValueIntake* intake, ValueStore* store,
                       ChangeNotifier* notifier, const Authorizer* authorizer,
                       absl::Duration poll = absl::Seconds(1))
      : intake_(intake),
        store_(store),
        notifier_(notifier),
        authorizer_(authorizer),
        poll_(poll) {}

  grpc::Status SubmitValues(grpc::ServerContext* context,
                            const v1::SubmitValuesRequest* request,
                            v1::ImportSummary* response) override;
  grpc::Status StreamValues(grpc::ServerContext* context,
                            grpc::ServerReader<v1::StreamValuesRequest>* reader,
                            v1::ImportSummary* response) override;
  grpc::Status ImportBatches(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportBatchesResponse,
                               v1::ImportBatchesRequest>* stream) override;
  grpc::Status ListValues(grpc::ServerContext* context,
                          const v1::ListValuesRequest* request,
                          v1::ListValuesResponse* response) override;
  grpc::Status ListValueRevisions(
      grpc::ServerContext* context,
      const v1::ListValueRevisionsRequest* request,
      v1::ListValueRevisionsResponse* response) override;
  grpc::Status WatchChanges(
      grpc::ServerContext* context, const v1::WatchChangesRequest* request,
      grpc::ServerWriter<v1::WatchChangesResponse>* writer) override;
  grpc::Status GetChangeFeedPosition(
      grpc::ServerContext* context,
      const v1::GetChangeFeedPositionRequest* request,
      v1::GetChangeFeedPositionResponse* response) override;

 private:
  grpc::Status Submit(grpc::ServerContext* context,
                      const v1::SubmitValuesRequest& request, int max_rows,
                      v1::ImportSummary* response);

  ValueIntake* intake_;
  ValueStore* store_;
  ChangeNotifier* notifier_;
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_INGESTION_SERVICE_H_
