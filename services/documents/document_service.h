#ifndef SERVICES_DOCUMENTS_DOCUMENT_SERVICE_H_
#define SERVICES_DOCUMENTS_DOCUMENT_SERVICE_H_

// The gRPC adapter of lienthong.documents.v1.DocumentService over
// DocumentExchange. Sync handlers: uploads and downloads stream from and to
// disk in 1 MiB chunks, and an inbox watcher holds its thread while it waits.

#include "absl/time/time.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"

namespace lienthong {
class Authorizer;
}  // namespace lienthong

namespace lienthong::documents {

class DocumentExchange;

class DocumentServiceImpl final : public v1::DocumentService::Service {
 public:
  // The arguments must outlive the service. `poll` bounds how long an inbox
  // watcher waits before checking whether its call was cancelled.
  DocumentServiceImpl(DocumentExchange* exchange, const Authorizer* authorizer,
                      absl::Duration poll = absl::Seconds(1))
      : exchange_(exchange), authorizer_(authorizer), poll_(poll) {}

  grpc::Status UploadAttachment(
      grpc::ServerContext* context,
      grpc::ServerReader<v1::UploadAttachmentRequest>* reader,
      v1::UploadAttachmentResponse* response) override;
  grpc::Status DownloadAttachment(
      grpc::ServerContext* context,
      const v1::DownloadAttachmentRequest* request,
      grpc::ServerWriter<v1::DownloadAttachmentResponse>* writer) override;
  grpc::Status SendDocument(grpc::ServerContext* context,
                            const v1::SendDocumentRequest* request,
                            v1::Document* response) override;
  grpc::Status GetDocument(grpc::ServerContext* context,
                           const v1::GetDocumentRequest* request,
                           v1::Document* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context,
                             const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status UpdateDeliveryStatus(
      grpc::ServerContext* context,
      const v1::UpdateDeliveryStatusRequest* request,
      v1::Document* response) override;
  grpc::Status ListInbox(grpc::ServerContext* context,
                         const v1::ListInboxRequest* request,
                         v1::ListInboxResponse* response) override;
  grpc::Status WatchInbox(
      grpc::ServerContext* context, const v1::WatchInboxRequest* request,
      grpc::ServerWriter<v1::WatchInboxResponse>* writer) override;
  grpc::Status AcknowledgeInbox(
      grpc::ServerContext* context, const v1::AcknowledgeInboxRequest* request,
      v1::AcknowledgeInboxResponse* response) override;
  grpc::Status GetReceipt(grpc::ServerContext* context,
                          const v1::GetReceiptRequest* request,
                          v1::Receipt* response) override;
  grpc::Status GetEdxml(grpc::ServerContext* context,
                        const v1::GetEdxmlRequest* request,
                        v1::GetEdxmlResponse* response) override;
  grpc::Status ImportEdxml(grpc::ServerContext* context,
                           const v1::ImportEdxmlRequest* request,
                           v1::Document* response) override;

 private:
  DocumentExchange* exchange_;
  const Authorizer* authorizer_;
  absl::Duration poll_;
};

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_SERVICE_H_
