#include "tools/ltctl/document_transfer.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "libs/pki/cms_signature.h"
#include "libs/pki/key_material.h"
#include "libs/status/grpc_status.h"
#include "services/documents/edxml_package.h"

namespace lienthong::ltctl {
namespace {

using documents::v1::AttachmentRef;

// The server takes at most 1 MiB per message.
constexpr size_t kChunkBytes = 1 << 20;

std::string LastPart(const std::string& path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string MimeTypeOf(const std::string& file_name) {
  static constexpr std::pair<const char*, const char*> kTypes[] = {
      {".pdf", "application/pdf"},
      {".doc", "application/msword"},
      {".docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml."
       "document"},
      {".xls", "application/vnd.ms-excel"},
      {".xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {".odt", "application/vnd.oasis.opendocument.text"},
      {".xml", "application/xml"},
      {".json", "application/json"},
      {".txt", "text/plain"},
      {".csv", "text/csv"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".zip", "application/zip"},
  };
  const std::string lower = absl::AsciiStrToLower(file_name);
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWith(lower, extension)) return type;
  }
  return "application/octet-stream";
}

std::string SafeFileName(const std::string& name, const std::string& fallback) {
  std::string last = LastPart(name);
  // The name comes from the sender: no hidden files (.bashrc), no control
  // characters; the content's own name instead.
  if (last.empty() || last[0] == '.') return fallback;
  for (char c : last) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return fallback;
  }
  return last;
}

absl::StatusOr<AttachmentRef> UploadAttachment(
    documents::v1::DocumentService::StubInterface& stub,
    grpc::ClientContext& context, const std::string& path,
    const std::string& content) {
  AttachmentRef ref;
  ref.set_file_name(LastPart(path));
  ref.set_mime_type(MimeTypeOf(ref.file_name()));
  documents::v1::UploadAttachmentResponse response;
  auto writer = stub.UploadAttachment(&context, &response);
  documents::v1::UploadAttachmentRequest message;
  documents::v1::AttachmentMetadata& metadata = *message.mutable_metadata();
  metadata.set_file_name(ref.file_name());
  metadata.set_mime_type(ref.mime_type());
  metadata.set_size_bytes(static_cast<int64_t>(content.size()));
  metadata.set_sha256(pki::Sha256Hex(content));
  // A refused write means the server ended the call: Finish says why.
  bool open = writer->Write(message);
  for (size_t at = 0; open && at < content.size(); at += kChunkBytes) {
    message.set_chunk(content.substr(at, kChunkBytes));
    open = writer->Write(message);
  }
  if (open) writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  ref.set_attachment(response.attachment());
  return ref;
}

absl::StatusOr<int64_t> DownloadAttachment(
    documents::v1::DocumentService::StubInterface& stub,
    grpc::ClientContext& context,
    const documents::v1::DownloadAttachmentRequest& request,
    const std::string& path) {
  absl::string_view expected = request.attachment();
  if (!absl::ConsumePrefix(&expected, "attachments/")) {
    return absl::InvalidArgumentError(
        "attachment must be attachments/{sha256}");
  }
  if (expected.size() != 64 ||
      !std::all_of(expected.begin(), expected.end(), [](char c) {
        return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
      })) {
    return absl::InvalidArgumentError(
        "attachment must be attachments/{sha256}, 64 lowercase hex digits");
  }
  // A temporary name of its own: never another file's.
  std::string part = path + ".XXXXXX";
  const int part_fd = mkstemp(part.data());
  if (part_fd < 0)
    return absl::InternalError(absl::StrCat("cannot write ", path));
  close(part_fd);
  std::ofstream file(part, std::ios::binary | std::ios::trunc);
  if (!file) return absl::InternalError(absl::StrCat("cannot write ", part));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> digest(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  EVP_DigestInit_ex(digest.get(), EVP_sha256(), nullptr);
  auto reader = stub.DownloadAttachment(&context, request);
  documents::v1::DownloadAttachmentResponse chunk;
  int64_t received = 0;
  bool in_order = true;
  while (reader->Read(&chunk)) {
    in_order = in_order && chunk.offset() == received;
    file.write(chunk.chunk().data(),
               static_cast<std::streamsize>(chunk.chunk().size()));
    EVP_DigestUpdate(digest.get(), chunk.chunk().data(), chunk.chunk().size());
    received += static_cast<int64_t>(chunk.chunk().size());
  }
  grpc::Status status = reader->Finish();
  file.close();
  std::error_code ignored;
  if (!status.ok()) {
    std::filesystem::remove(part, ignored);
    return FromGrpcStatus(status);
  }
  unsigned char sum[EVP_MAX_MD_SIZE];
  unsigned int sum_size = 0;
  EVP_DigestFinal_ex(digest.get(), sum, &sum_size);
  const std::string actual = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(sum), sum_size));
  if (!file) {
    std::filesystem::remove(part, ignored);
    return absl::InternalError(absl::StrCat("cannot write ", part));
  }
  if (!in_order || actual != expected) {
    // Never leave bytes under the name of content they are not.
    std::filesystem::remove(part, ignored);
    return absl::DataLossError(absl::StrCat("downloaded content has SHA-256 ",
                                            actual, ", not ", expected));
  }
  // link() refuses an existing name: a download never replaces a file.
  const int linked = link(part.c_str(), path.c_str());
  const int link_error = errno;
  std::filesystem::remove(part, ignored);
  if (linked != 0) {
    return absl::InternalError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(link_error),
                     link_error == EEXIST ? " (not overwritten)" : ""));
  }
  return received;
}

absl::Status SignEnvelope(const std::string& cert_pem,
                          const std::string& key_pem,
                          documents::v1::Document& document) {
  absl::StatusOr<pki::Certificate> certificate =
      pki::ParseCertificatePem(cert_pem);
  if (!certificate.ok()) return certificate.status();
  absl::StatusOr<pki::PrivateKey> key = pki::ParsePrivateKeyPem(key_pem);
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> canonical =
      documents::CanonicalEnvelope(document);
  if (!canonical.ok()) return canonical.status();
  absl::StatusOr<std::string> signature =
      pki::SignDetached(*canonical, key->get(), certificate->get());
  if (!signature.ok()) return signature.status();
  absl::StatusOr<std::string> der = pki::CertificateToDer(certificate->get());
  if (!der.ok()) return der.status();
  document.mutable_signature()->set_signature(*signature);
  document.mutable_signature()->set_signer_certificate(*der);
  return absl::OkStatus();
}

}  // namespace lienthong::ltctl
