#ifndef SERVICES_DOCUMENTS_EDXML_PARSER_H_
#define SERVICES_DOCUMENTS_EDXML_PARSER_H_

// Parsing untrusted edXML input with libxml2: bounded in size, no network,
// no DTD (so no entity is declared or expanded: billion laughs and external
// entities are refused before they are read), no output on stderr.

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/documents/edxml_common.h"

namespace lienthong::documents::edxml_internal {

// Parses `xml` into a tree. INVALID_ARGUMENT with reason EDXML_TOO_LARGE over
// `max_bytes`, EDXML_DTD_FORBIDDEN for any DOCTYPE, EDXML_MALFORMED (with
// libxml2's first error and its line) when not well-formed.
absl::StatusOr<XmlDocPtr> ParseUntrustedXml(absl::string_view xml,
                                            int64_t max_bytes);

}  // namespace lienthong::documents::edxml_internal

#endif  // SERVICES_DOCUMENTS_EDXML_PARSER_H_
