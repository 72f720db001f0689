#ifndef TOOLS_LTCTL_RESPONSE_PRINTER_H_
#define TOOLS_LTCTL_RESPONSE_PRINTER_H_

// Responses for scripts (protobuf's JSON mapping) and for people (one line
// per listed item, tab-separated; JSON for everything else).

#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace lienthong::ltctl {

// How a list response prints as text.
struct TextLayout {
  // The repeated message field printed one line per element; empty prints
  // the response as JSON.
  std::string list;
  // Field paths within each element, one column each, e.g. "header.subject".
  std::vector<std::string> columns;
};

// `message` in protobuf's JSON mapping, indented when `pretty`.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// The text of the field at `path` of `message`: enum values without their
// prefix ("ACHIEVED"), dates as YYYY-MM-DD, periods by id, values as 12,
// 75%, 45/60; repeated fields comma-separated; other messages as JSON.
std::string FieldText(const google::protobuf::Message& message,
                      absl::string_view path);

// Prints `response` to `out`: JSON when `json` or when `layout` names no
// list, lines otherwise. A next_page_token goes to `err` in text mode, so
// stdout stays one line per item.
void PrintResponse(const google::protobuf::Message& response, bool json,
                   const TextLayout& layout, std::ostream& out,
                   std::ostream& err);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_RESPONSE_PRINTER_H_
