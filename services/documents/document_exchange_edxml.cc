// DocumentExchange: documents as edXML packages, out and in.

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/clock/clock.h"
#include "libs/status/status_details.h"
#include "services/documents/document_exchange.h"
#include "services/documents/document_names.h"
#include "services/documents/document_store.h"
#include "services/documents/edxml_package.h"

namespace lienthong::documents {
namespace {

absl::Status PackageTooLarge(int64_t limit) {
  return WithErrorInfo(
      absl::FailedPreconditionError(absl::StrCat(
          "the package would exceed ", limit,
          " bytes; export it without attachments and download them")),
      "PACKAGE_TOO_LARGE", {{"limit_bytes", absl::StrCat(limit)}});
}

}  // namespace

absl::StatusOr<v1::GetEdxmlResponse> DocumentExchange::GetEdxml(
    const std::string& caller, const v1::GetEdxmlRequest& request) {
  absl::StatusOr<std::string> id = DocumentIdOf(request.name());
  if (!id.ok()) return id.status();
  absl::StatusOr<v1::Document> document = store_->Get(*id);
  if (!document.ok()) return document.status();
  // The sender and its recipients may export it.
  if (!CheckCallersAgency(caller, document->header().from().organ_id()).ok() &&
      !DeliveryTo(*document, AgencyName(caller)).ok()) {
    return CheckCallersAgency(caller, document->header().from().organ_id());
  }
  EdxmlPackage package;
  int64_t embedded = 0;
  for (const v1::AttachmentRef& ref : document->attachments()) {
    EdxmlAttachment attachment;
    attachment.ref = ref;
    attachment.sha256_hex = *AttachmentSha256(ref.attachment());
    if (request.include_attachments()) {
      // Base64 grows the bytes by a third.
      embedded += ref.size_bytes() * 4 / 3;
      if (embedded > options_.max_package_bytes) {
        return PackageTooLarge(options_.max_package_bytes);
      }
      absl::StatusOr<std::unique_ptr<AttachmentReader>> reader =
          attachments_->Open(attachment.sha256_hex);
      if (!reader.ok()) return reader.status();
      attachment.content.resize((*reader)->size());
      int64_t offset = 0;
      while (offset < (*reader)->size()) {
        absl::StatusOr<int64_t> read =
            (*reader)->Read(attachment.content.data() + offset,
                            attachment.content.size() - offset);
        if (!read.ok()) return read.status();
        if (*read == 0) break;
        offset += *read;
      }
      // The read at the end is where the store checks the hash.
      char end;
      absl::StatusOr<int64_t> last = (*reader)->Read(&end, 1);
      if (!last.ok()) return last.status();
    }
    package.attachments.push_back(std::move(attachment));
  }
  package.document = *std::move(document);
  package.document.clear_deliveries();
  WriteOptions options;
  options.embed_attachments = request.include_attachments();
  absl::StatusOr<std::string> xml = WriteEdxml(package, options);
  if (!xml.ok()) return xml.status();
  v1::GetEdxmlResponse response;
  response.set_edxml(*std::move(xml));
  return response;
}

absl::StatusOr<v1::Document> DocumentExchange::ImportEdxml(
    const std::string& caller, const v1::ImportEdxmlRequest& request) {
  ReadOptions options;
  options.max_bytes = options_.max_package_bytes;
  options.require_embedded = true;
  absl::StatusOr<EdxmlPackage> package = ReadEdxml(request.edxml(), options);
  if (!package.ok()) return package.status();
  // Refusals that need no attachment come before any byte is stored: the
  // sender acting for the caller and the signature (edXML has no secret
  // marker).
  if (absl::Status own = CheckCallersAgency(
          caller, package->document.header().from().organ_id());
      !own.ok()) {
    return own;
  }
  v1::Document checked = package->document;
  if (absl::Status verified = VerifySignature(checked, clock_->Now(), nullptr);
      !verified.ok()) {
    return verified;
  }
  // Then the embedded bytes go to the attachment store, as an upload would;
  // their hashes were checked against the manifest while reading.
  for (const EdxmlAttachment& attachment : package->attachments) {
    absl::StatusOr<std::unique_ptr<AttachmentUpload>> upload =
        attachments_->BeginUpload(
            options_.attachment_limits,
            static_cast<int64_t>(attachment.content.size()),
            attachment.sha256_hex);
    if (!upload.ok()) return upload.status();
    if (absl::Status appended = (*upload)->Append(attachment.content);
        !appended.ok()) {
      return appended;
    }
    absl::StatusOr<UploadResult> stored = (*upload)->Finish();
    if (!stored.ok()) return stored.status();
  }
  return Deliver(caller, std::move(package->document), request.request_id());
}

}  // namespace lienthong::documents
