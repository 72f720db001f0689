#include "services/documents/edxml_parser.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <climits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::documents::edxml_internal {
namespace {

// What the parser callbacks saw; lives in the parser context's _private.
struct ParseState {
  bool saw_doctype = false;
  std::string first_error;
  int first_error_line = 0;
};

// SAX internalSubset: called for any DOCTYPE, before its declarations are
// read, so no entity is ever declared, let alone expanded.
void RefuseDoctype(void* user_data, const xmlChar*, const xmlChar*,
                   const xmlChar*) {
  auto* ctxt = static_cast<xmlParserCtxt*>(user_data);
  static_cast<ParseState*>(ctxt->_private)->saw_doctype = true;
  xmlStopParser(ctxt);
}

// Structured error handler: keeps the first error (and prints nothing). A
// template because libxml2 2.12 made the error pointer const.
template <typename ErrorPtr>
void KeepFirstError(void* user_data, ErrorPtr error) {
  auto* ctxt = static_cast<xmlParserCtxt*>(user_data);
  auto* state = static_cast<ParseState*>(ctxt->_private);
  if (error == nullptr || error->level < XML_ERR_ERROR ||
      !state->first_error.empty()) {
    return;
  }
  state->first_error = error->message != nullptr ? error->message : "error";
  absl::StripTrailingAsciiWhitespace(&state->first_error);
  state->first_error_line = error->line;
}

}  // namespace

absl::StatusOr<XmlDocPtr> ParseUntrustedXml(absl::string_view xml,
                                            int64_t max_bytes) {
  if (static_cast<int64_t>(xml.size()) > max_bytes ||
      xml.size() > static_cast<size_t>(INT_MAX)) {
    return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                             "edXML of ", xml.size(),
                             " bytes is over the limit of ", max_bytes)),
                         kTooLarge,
                         {{"size_bytes", absl::StrCat(xml.size())},
                          {"max_bytes", absl::StrCat(max_bytes)}});
  }
  EnsureLibxmlInitialized();
  XmlParserCtxtPtr ctxt(xmlNewParserCtxt());
  if (ctxt == nullptr || ctxt->sax == nullptr) {
    return absl::ResourceExhaustedError("libxml2 could not allocate a parser");
  }
  ParseState state;
  ctxt->_private = &state;
  ctxt->sax->internalSubset = &RefuseDoctype;
  ctxt->sax->serror = &KeepFirstError;
  // No NOENT: entities are never substituted. HUGE lifts libxml2's 10 MB
  // text limit for embedded attachments; the input is bounded above.
  XmlDocPtr doc(xmlCtxtReadMemory(
      ctxt.get(), xml.data(), static_cast<int>(xml.size()),
      /*URL=*/nullptr, /*encoding=*/nullptr, XML_PARSE_NONET | XML_PARSE_HUGE));
  if (state.saw_doctype || (doc != nullptr && (doc->intSubset != nullptr ||
                                               doc->extSubset != nullptr))) {
    return EdxmlError(kDtdForbidden, "",
                      "edXML must not carry a DOCTYPE (DTDs and entities are "
                      "refused)");
  }
  if (doc == nullptr || !ctxt->wellFormed) {
    return EdxmlError(
        kMalformed, "",
        absl::StrCat(
            "not well-formed XML: line ", state.first_error_line, ": ",
            state.first_error.empty() ? "parse failed" : state.first_error));
  }
  return doc;
}

}  // namespace lienthong::documents::edxml_internal
