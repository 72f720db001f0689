#ifndef SERVICES_DOCUMENTS_EDXML_WRITER_H_
#define SERVICES_DOCUMENTS_EDXML_WRITER_H_

// Builds a document's edXML envelope as a libxml2 tree (the element layout is
// described in edxml_package.h). WriteEdxml serializes the tree,
// CanonicalEnvelope canonicalizes it; both go through here so the signed bytes
// and the sent envelope cannot drift apart.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lienthong/documents/v1/document.pb.h"
#include "services/documents/edxml_common.h"

namespace lienthong::documents::edxml_internal {

// One Reference of the manifest, and its content when embedded.
struct ManifestEntry {
  // ContentId, AttachmentName, ContentType, Description.
  const v1::AttachmentRef* ref;
  // Sha256: 64 lowercase hex digits.
  std::string sha256_hex;
  // Size; 0 leaves it out.
  int64_t size_bytes;
  // The bytes to embed; nullptr embeds nothing.
  const std::string* content;
};

// The envelope of `document` with `manifest` as its edXMLManifest, and the
// Signature element when `with_signature`. INVALID_ARGUMENT (reasons as in
// edxml_package.h) for a header edXML cannot carry: no sender or recipient,
// a date not yyyy/MM/dd, a negative number, an unknown enum, text that is not
// UTF-8 XML can carry, a Reference without ContentId.
absl::StatusOr<XmlDocPtr> BuildEnvelope(
    const v1::Document& document, const std::vector<ManifestEntry>& manifest,
    bool with_signature);

}  // namespace lienthong::documents::edxml_internal

#endif  // SERVICES_DOCUMENTS_EDXML_WRITER_H_
