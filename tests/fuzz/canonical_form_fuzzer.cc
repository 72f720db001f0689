// The canonical signing form of a document, from any Document message a
// client can send: never crashes, and is deterministic (a signature made over
// it must verify over it).

#include <cstdint>
#include <cstdlib>
#include <string>

#include "lienthong/documents/v1/document.pb.h"
#include "services/documents/edxml_package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lienthong::documents::v1::Document document;
  if (!document.ParseFromArray(data, static_cast<int>(size))) return 0;
  absl::StatusOr<std::string> first =
      lienthong::documents::CanonicalEnvelope(document);
  absl::StatusOr<std::string> second =
      lienthong::documents::CanonicalEnvelope(document);
  if (first.ok() != second.ok() || (first.ok() && *first != *second)) {
    std::abort();
  }
  return 0;
}
