#include "services/documents/document_service.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/server/authorizer.h"
#include "libs/status/grpc_status.h"
#include "libs/status/status_details.h"
#include "services/documents/document_exchange.h"
#include "services/documents/document_names.h"

namespace lienthong::documents {
namespace {

constexpr size_t kChunkBytes = 1 << 20;

// The caller's agency when the transport authenticated it, else "" (the
// platform itself).
std::string CallerAgency(const Caller& caller) {
  return caller.authenticated && !caller.platform ? caller.identity
                                                  : std::string();
}

// Asks the authorizer, then runs `call` for the caller's agency.
template <typename Response, typename Call>
grpc::Status Run(const Authorizer& authorizer, grpc::ServerContext* context,
                 absl::string_view method, absl::string_view resource,
                 Response* response, Call call) {
  const Caller caller = CallerOf(*context);
  if (absl::Status allowed = authorizer.Authorize(caller, method, resource);
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  auto result = call(CallerAgency(caller));
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status DocumentServiceImpl::UploadAttachment(
    grpc::ServerContext* context,
    grpc::ServerReader<v1::UploadAttachmentRequest>* reader,
    v1::UploadAttachmentResponse* response) {
  if (absl::Status allowed = authorizer_->Authorize(
          CallerOf(*context), "documents.attachments.upload", "");
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  v1::UploadAttachmentRequest message;
  if (!reader->Read(&message) || !message.has_metadata()) {
    return ToGrpcStatus(InvalidArgumentWithViolations(
        "an upload starts with its metadata", "ATTACHMENT_METADATA_INVALID",
        {{"metadata", "must come first"}}));
  }
  const v1::AttachmentMetadata metadata = message.metadata();
  absl::StatusOr<std::unique_ptr<AttachmentUpload>> upload =
      exchange_->attachments().BeginUpload(
          exchange_->options().attachment_limits, metadata.size_bytes(),
          metadata.sha256());
  if (!upload.ok()) return ToGrpcStatus(upload.status());
  // One chunk in memory at a time, whatever the file's size.
  while (reader->Read(&message)) {
    if (!message.has_chunk()) {
      return ToGrpcStatus(InvalidArgumentWithViolations(
          "metadata sent twice", "ATTACHMENT_METADATA_INVALID",
          {{"metadata", "only in the first message"}}));
    }
    if (message.chunk().size() > kChunkBytes) {
      return ToGrpcStatus(InvalidArgumentWithViolations(
          "chunk too large", "ATTACHMENT_CHUNK_TOO_LARGE",
          {{"chunk", "at most 1 MiB"}}));
    }
    if (absl::Status appended = (*upload)->Append(message.chunk());
        !appended.ok()) {
      return ToGrpcStatus(appended);
    }
  }
  if (context->IsCancelled()) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "upload cancelled");
  }
  absl::StatusOr<UploadResult> stored = (*upload)->Finish();
  if (!stored.ok()) return ToGrpcStatus(stored.status());
  response->set_attachment(absl::StrCat("attachments/", stored->sha256_hex));
  response->set_size_bytes(stored->size_bytes);
  response->set_already_stored(stored->already_stored);
  return grpc::Status::OK;
}

grpc::Status DocumentServiceImpl::DownloadAttachment(
    grpc::ServerContext* context, const v1::DownloadAttachmentRequest* request,
    grpc::ServerWriter<v1::DownloadAttachmentResponse>* writer) {
  const Caller caller = CallerOf(*context);
  if (absl::Status allowed = authorizer_->Authorize(
          caller, "documents.attachments.download", request->attachment());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  absl::StatusOr<std::string> sha256 = AttachmentSha256(request->attachment());
  if (!sha256.ok()) return ToGrpcStatus(sha256.status());
  if (absl::Status party = exchange_->CheckAttachmentAccess(
          CallerAgency(caller), request->document(), *sha256);
      !party.ok()) {
    return ToGrpcStatus(party);
  }
  absl::StatusOr<std::unique_ptr<AttachmentReader>> reader =
      exchange_->attachments().Open(*sha256);
  if (!reader.ok()) return ToGrpcStatus(reader.status());
  v1::DownloadAttachmentResponse response;
  std::string buffer(kChunkBytes, '\0');
  int64_t offset = 0;
  while (!context->IsCancelled()) {
    absl::StatusOr<int64_t> read =
        (*reader)->Read(buffer.data(), buffer.size());
    if (!read.ok()) return ToGrpcStatus(read.status());
    if (*read == 0) break;
    response.set_chunk(buffer.data(), *read);
    response.set_offset(offset);
    offset += *read;
    if (!writer->Write(response)) break;
  }
  return grpc::Status::OK;
}

grpc::Status DocumentServiceImpl::SendDocument(
    grpc::ServerContext* context, const v1::SendDocumentRequest* request,
    v1::Document* response) {
  return Run(*authorizer_, context, "documents.send",
             AgencyName(request->document().header().from().organ_id()),
             response, [&](const std::string& caller) {
               return exchange_->Send(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::GetDocument(
    grpc::ServerContext* context, const v1::GetDocumentRequest* request,
    v1::Document* response) {
  return Run(*authorizer_, context, "documents.get", request->name(), response,
             [&](const std::string& caller) {
               return exchange_->Get(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::ListDocuments(
    grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
    v1::ListDocumentsResponse* response) {
  return Run(*authorizer_, context, "documents.list", request->sender(),
             response, [&](const std::string& caller) {
               return exchange_->List(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::UpdateDeliveryStatus(
    grpc::ServerContext* context,
    const v1::UpdateDeliveryStatusRequest* request, v1::Document* response) {
  return Run(*authorizer_, context, "documents.status.update",
             request->recipient(), response, [&](const std::string& caller) {
               return exchange_->UpdateStatus(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::ListInbox(grpc::ServerContext* context,
                                            const v1::ListInboxRequest* request,
                                            v1::ListInboxResponse* response) {
  return Run(*authorizer_, context, "documents.inbox.read",
             request->recipient(), response, [&](const std::string& caller) {
               return exchange_->ListInbox(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::WatchInbox(
    grpc::ServerContext* context, const v1::WatchInboxRequest* request,
    grpc::ServerWriter<v1::WatchInboxResponse>* writer) {
  const Caller caller = CallerOf(*context);
  if (absl::Status allowed = authorizer_->Authorize(
          caller, "documents.inbox.read", request->recipient());
      !allowed.ok()) {
    return ToGrpcStatus(allowed);
  }
  int64_t after = 0;
  // Sends counted when the inbox was last found empty: until another send,
  // there is nothing new to list (listing is a write: it counts deliveries).
  int64_t drained_at = -1;
  while (!context->IsCancelled()) {
    // Read the count first: a send after it wakes the wait below.
    const int64_t seen = exchange_->sends();
    if (seen == drained_at) {
      exchange_->WaitForSend(seen, absl::Now() + poll_);
      continue;
    }
    absl::StatusOr<std::vector<v1::InboxEntry>> entries = exchange_->InboxAfter(
        CallerAgency(caller), request->recipient(), after);
    if (!entries.ok()) return ToGrpcStatus(entries.status());
    if (entries->empty()) {
      drained_at = seen;
      continue;
    }
    v1::WatchInboxResponse response;
    for (v1::InboxEntry& entry : *entries) {
      *response.add_entries() = std::move(entry);
    }
    if (!writer->Write(response)) break;
  }
  return grpc::Status::OK;
}

grpc::Status DocumentServiceImpl::AcknowledgeInbox(
    grpc::ServerContext* context, const v1::AcknowledgeInboxRequest* request,
    v1::AcknowledgeInboxResponse* response) {
  return Run(*authorizer_, context, "documents.inbox.acknowledge",
             request->recipient(), response, [&](const std::string& caller) {
               return exchange_->Acknowledge(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::GetReceipt(
    grpc::ServerContext* context, const v1::GetReceiptRequest* request,
    v1::Receipt* response) {
  return Run(*authorizer_, context, "documents.receipts.get",
             request->document(), response, [&](const std::string& caller) {
               return exchange_->GetReceipt(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::GetEdxml(grpc::ServerContext* context,
                                           const v1::GetEdxmlRequest* request,
                                           v1::GetEdxmlResponse* response) {
  return Run(*authorizer_, context, "documents.get", request->name(), response,
             [&](const std::string& caller) {
               return exchange_->GetEdxml(caller, *request);
             });
}

grpc::Status DocumentServiceImpl::ImportEdxml(
    grpc::ServerContext* context, const v1::ImportEdxmlRequest* request,
    v1::Document* response) {
  return Run(*authorizer_, context, "documents.import", "", response,
             [&](const std::string& caller) {
               return exchange_->ImportEdxml(caller, *request);
             });
}

}  // namespace lienthong::documents
