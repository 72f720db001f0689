// WriteEdxml and CanonicalEnvelope: both build the envelope tree with
// edxml_writer.h, the latter without signature, sizes and content. ReadEdxml
// is in edxml_reader.cc.

#include "services/documents/edxml_package.h"

#include <libxml/c14n.h>
#include <libxml/tree.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"
#include "services/documents/attachment_store.h"
#include "services/documents/document_names.h"
#include "services/documents/edxml_common.h"
#include "services/documents/edxml_writer.h"

namespace lienthong::documents {

static_assert(kEdxmlNamespace == edxml_internal::kNamespace);

namespace {

using edxml_internal::EdxmlError;
using edxml_internal::ManifestEntry;
using edxml_internal::XmlCharPtr;
using edxml_internal::XmlDocPtr;

// The manifest of a package for WriteEdxml, with its attachments checked.
absl::StatusOr<std::vector<ManifestEntry>> PackageManifest(
    const EdxmlPackage& package, const WriteOptions& options) {
  const auto& refs = package.document.attachments();
  if (!refs.empty() &&
      (refs.size() != static_cast<int>(package.attachments.size()) ||
       !std::equal(refs.begin(), refs.end(), package.attachments.begin(),
                   [](const v1::AttachmentRef& ref, const EdxmlAttachment& a) {
                     return google::protobuf::util::MessageDifferencer::Equals(
                         ref, a.ref);
                   }))) {
    return EdxmlError(edxml_internal::kAttachmentMismatch,
                      "document.attachments",
                      "differs from the refs of the package's attachments");
  }
  std::vector<ManifestEntry> entries;
  for (size_t i = 0; i < package.attachments.size(); ++i) {
    const EdxmlAttachment& a = package.attachments[i];
    const std::string field = absl::StrCat("attachments[", i, "]");
    const absl::StatusOr<std::string> named =
        AttachmentSha256(a.ref.attachment());
    std::string sha256 = !a.sha256_hex.empty() ? a.sha256_hex
                         : named.ok()          ? *named
                                               : "";
    if (!IsSha256Hex(sha256)) {
      return EdxmlError(edxml_internal::kBadValue, field + ".sha256_hex",
                        "need 64 lowercase hex digits here or in "
                        "ref.attachment (attachments/{sha256})");
    }
    if (!a.ref.attachment().empty() && (!named.ok() || *named != sha256)) {
      return EdxmlError(edxml_internal::kAttachmentMismatch,
                        field + ".ref.attachment",
                        absl::StrCat("does not name SHA-256 ", sha256));
    }
    if (!a.content.empty()) {
      if (pki::Sha256Hex(a.content) != sha256) {
        return EdxmlError(edxml_internal::kAttachmentMismatch,
                          field + ".content", "SHA-256 differs");
      }
      if (a.ref.size_bytes() != 0 &&
          a.ref.size_bytes() != static_cast<int64_t>(a.content.size())) {
        return EdxmlError(edxml_internal::kAttachmentMismatch,
                          field + ".content", "size differs from ref");
      }
    } else if (options.embed_attachments) {
      return EdxmlError(edxml_internal::kMissingElement, field + ".content",
                        "embedding needs every attachment's content");
    }
    entries.push_back({&a.ref, std::move(sha256), a.ref.size_bytes(),
                       options.embed_attachments ? &a.content : nullptr});
  }
  return entries;
}

}  // namespace

absl::StatusOr<std::string> WriteEdxml(const EdxmlPackage& package,
                                       const WriteOptions& options) {
  if (absl::Status sendable = CheckNotSecret(package.document);
      !sendable.ok()) {
    return sendable;
  }
  absl::StatusOr<std::vector<ManifestEntry>> entries =
      PackageManifest(package, options);
  if (!entries.ok()) return entries.status();
  absl::StatusOr<XmlDocPtr> doc = edxml_internal::BuildEnvelope(
      package.document, *entries, /*with_signature=*/true);
  if (!doc.ok()) return doc.status();
  xmlChar* memory = nullptr;
  int size = 0;
  xmlDocDumpFormatMemoryEnc(doc->get(), &memory, &size, "UTF-8", /*format=*/1);
  XmlCharPtr owned(memory);
  if (owned == nullptr || size < 0) {
    return absl::InternalError("libxml2 could not serialize the envelope");
  }
  return std::string(reinterpret_cast<const char*>(owned.get()),
                     static_cast<size_t>(size));
}

absl::StatusOr<std::string> CanonicalEnvelope(const v1::Document& document) {
  std::vector<ManifestEntry> entries;
  for (int i = 0; i < document.attachments_size(); ++i) {
    const v1::AttachmentRef& ref = document.attachments(i);
    absl::StatusOr<std::string> sha256 = AttachmentSha256(ref.attachment());
    if (!sha256.ok()) {
      return EdxmlError(
          edxml_internal::kBadValue,
          absl::StrCat("document.attachments[", i, "].attachment"),
          "must be attachments/{sha256}");
    }
    entries.push_back({&ref, *std::move(sha256), 0, nullptr});
  }
  absl::StatusOr<XmlDocPtr> doc = edxml_internal::BuildEnvelope(
      document, entries, /*with_signature=*/false);
  if (!doc.ok()) return doc.status();
  xmlChar* memory = nullptr;
  const int size = xmlC14NDocDumpMemory(doc->get(), /*nodes=*/nullptr,
                                        XML_C14N_EXCLUSIVE_1_0,
                                        /*inclusive_ns_prefixes=*/nullptr,
                                        /*with_comments=*/0, &memory);
  XmlCharPtr owned(memory);
  if (owned == nullptr || size < 0) {
    return absl::InternalError("libxml2 could not canonicalize the envelope");
  }
  return std::string(reinterpret_cast<const char*>(owned.get()),
                     static_cast<size_t>(size));
}

}  // namespace lienthong::documents
