// Unit, agency, document and attachment codes and resource names from outside:
// the checks never crash, and a name that yields a code is rebuilt from it.

#include <cstdint>
#include <cstdlib>
#include <string>

#include "libs/pki/identity.h"
#include "services/documents/document_names.h"
#include "services/registry/agency_registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const bool registry_code = lienthong::registry::IsAgencyCode(text);
  const bool certificate_code = lienthong::pki::IsValidAgencyCode(text);
  (void)registry_code;
  (void)certificate_code;
  (void)lienthong::pki::IsKnownRole(text);
  namespace documents = lienthong::documents;
  absl::StatusOr<std::string> agency = documents::AgencyCodeOf(text, "agency");
  if (agency.ok() && documents::AgencyName(*agency) != text) std::abort();
  absl::StatusOr<std::string> id = documents::DocumentIdOf(text);
  if (id.ok() && documents::DocumentName(*id) != text) std::abort();
  absl::StatusOr<std::string> sha256 = documents::AttachmentSha256(text);
  if (sha256.ok() && sha256->size() != 64) std::abort();
  return 0;
}
