// edXML messages from other systems: reading never crashes or reads outside
// the input (libxml2 with entities and network off), and what reads writes
// back to a message that reads again with the same canonical envelope.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "services/documents/edxml_package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace documents = lienthong::documents;
  const std::string xml(reinterpret_cast<const char*>(data), size);
  documents::ReadOptions options;
  options.max_bytes = 1 << 20;
  absl::StatusOr<documents::EdxmlPackage> package =
      documents::ReadEdxml(xml, options);
  if (!package.ok()) return 0;
  documents::WriteOptions write;
  write.embed_attachments = true;
  for (const documents::EdxmlAttachment& attachment : package->attachments) {
    if (attachment.content.empty()) write.embed_attachments = false;
  }
  absl::StatusOr<std::string> written = documents::WriteEdxml(*package, write);
  if (!written.ok()) return 0;  // e.g. a value only a stricter writer refuses
  options.max_bytes = int64_t{64} << 20;
  absl::StatusOr<documents::EdxmlPackage> again =
      documents::ReadEdxml(*written, options);
  if (!again.ok()) std::abort();
  absl::StatusOr<std::string> first =
      documents::CanonicalEnvelope(package->document);
  absl::StatusOr<std::string> second =
      documents::CanonicalEnvelope(again->document);
  if (first.ok() != second.ok() || (first.ok() && *first != *second)) {
    std::abort();
  }
  return 0;
}
