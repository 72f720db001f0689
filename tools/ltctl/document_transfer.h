#ifndef TOOLS_LTCTL_DOCUMENT_TRANSFER_H_
#define TOOLS_LTCTL_DOCUMENT_TRANSFER_H_

// What sending and fetching documents needs beyond one unary call: streaming
// attachments up and down, and signing the envelope as the sending agency.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/client_context.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"

namespace lienthong::ltctl {

// Uploads `content` (UploadAttachment: metadata, then chunks of at most
// 1 MiB). The manifest entry for it: attachment, file name (the last part of
// `path`), MIME type and size. Errors are the server's, codes kept.
absl::StatusOr<documents::v1::AttachmentRef> UploadAttachment(
    documents::v1::DocumentService::StubInterface& stub,
    grpc::ClientContext& context, const std::string& path,
    const std::string& content);

// Streams the attachment `request` names into the file `path`: written as
// {path}.part, renamed once complete and its SHA-256 is the one its name
// promises. The bytes written. The server's errors keep their codes; local
// failures are DATA_LOSS (bad content) or INTERNAL (cannot write).
absl::StatusOr<int64_t> DownloadAttachment(
    documents::v1::DocumentService::StubInterface& stub,
    grpc::ClientContext& context,
    const documents::v1::DownloadAttachmentRequest& request,
    const std::string& path);

// Signs `document` as the agency of the certificate and key (PEM): a
// detached CMS signature over its canonical envelope, with the certificate,
// as the exchange verifies it. Sign after the header and attachments are
// final.
absl::Status SignEnvelope(const std::string& cert_pem,
                          const std::string& key_pem,
                          documents::v1::Document& document);

// The MIME type of a file name by its extension; application/octet-stream
// when unknown.
std::string MimeTypeOf(const std::string& file_name);

// A file name safe to create in a directory: the last part of `name`, or
// `fallback` when that is empty, "." or "..".
std::string SafeFileName(const std::string& name, const std::string& fallback);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_DOCUMENT_TRANSFER_H_
