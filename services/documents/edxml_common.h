#ifndef SERVICES_DOCUMENTS_EDXML_COMMON_H_
#define SERVICES_DOCUMENTS_EDXML_COMMON_H_

// Pieces the edXML writer and reader share (see edxml_package.h): owners for
// libxml2 objects, error reasons, element paths, the value formats edXML
// uses. Not an API of its own.

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::documents::edxml_internal {

// ErrorInfo reasons of edXML errors.
inline constexpr absl::string_view kMalformed = "EDXML_MALFORMED";
inline constexpr absl::string_view kDtdForbidden = "EDXML_DTD_FORBIDDEN";
inline constexpr absl::string_view kWrongNamespace = "EDXML_WRONG_NAMESPACE";
inline constexpr absl::string_view kMissingElement = "EDXML_MISSING_ELEMENT";
inline constexpr absl::string_view kBadValue = "EDXML_BAD_VALUE";
inline constexpr absl::string_view kAttachmentMismatch =
    "EDXML_ATTACHMENT_MISMATCH";
inline constexpr absl::string_view kTooLarge = "EDXML_TOO_LARGE";

// The edXML namespace (edxml_package.h publishes it as kEdxmlNamespace).
inline constexpr absl::string_view kNamespace =
    "http://www.mic.gov.vn/TBT/QCVN_102_2016";
// The namespace prefix written on every element.
inline constexpr char kPrefix[] = "edXML";
// The root element.
inline constexpr char kRootName[] = "edXMLEnvelope";
// The collection attachment names live in.
inline constexpr absl::string_view kAttachmentPrefix = "attachments/";

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
// Owns a libxml2 document and every node in it.
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;

struct XmlParserCtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};
// Owns a libxml2 parser context.
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtDeleter>;

struct XmlFreeDeleter {
  void operator()(void* memory) const { xmlFree(memory); }
};
// Owns memory libxml2 allocated (strings it returns, dumps).
using XmlCharPtr = std::unique_ptr<xmlChar, XmlFreeDeleter>;

// Initialises libxml2 once per process (its init is not thread-safe).
void EnsureLibxmlInitialized();

// An element's place below the root, e.g. "edXMLHeader/MessageHeader/To[2]"
// (a 1-based index where a name repeats among siblings); "" for the root.
std::string ElementPath(const xmlNode* node);

// `parent`'s path joined with `name`: the path of a child or attribute.
std::string ChildPath(const xmlNode* parent, absl::string_view name);

// INVALID_ARGUMENT with `reason` and, when `path` is set, a field violation
// naming it.
absl::Status EdxmlError(absl::string_view reason, absl::string_view path,
                        absl::string_view description);

// Whether `text` is an edXML date, `yyyy/MM/dd`, naming a real day.
bool IsEdxmlDate(absl::string_view text);

// Whether `text` is UTF-8 that XML 1.0 can carry (no control characters but
// tab, line feed and carriage return).
bool IsXmlText(absl::string_view text);

// Priority to its edXML number 0..4; nullopt for UNSPECIFIED or unknown.
std::optional<int> PriorityNumber(v1::Priority priority);
// An edXML priority number to the enum; nullopt outside 0..4.
std::optional<v1::Priority> PriorityFromNumber(int64_t number);

// BusinessType to its BusinessDocType 0..3; nullopt for UNSPECIFIED or
// unknown.
std::optional<int> BusinessDocType(v1::BusinessType type);
// A BusinessDocType to the enum; nullopt outside 0..3.
std::optional<v1::BusinessType> BusinessTypeFromDocType(int64_t number);

}  // namespace lienthong::documents::edxml_internal

#endif  // SERVICES_DOCUMENTS_EDXML_COMMON_H_
