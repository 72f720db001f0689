#ifndef TOOLS_LTCTL_REQUEST_FIELDS_H_
#define TOOLS_LTCTL_REQUEST_FIELDS_H_

// Requests from the command line: the --request JSON (protobuf's JSON
// mapping, inline or from a file), with flags and arguments set on top of it
// by field path, so one generic layer serves every command.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace lienthong::ltctl {

// Parses `text`, JSON or "@path" naming a file of JSON, into `request`; empty
// text leaves it unchanged. INVALID_ARGUMENT for JSON that does not parse or
// names fields the request does not have; NOT_FOUND for an unreadable file.
absl::Status ParseRequest(const std::string& text,
                          google::protobuf::Message& request);

// The field `path` names in `type`, e.g. "document.header.subject" (proto
// field names; every part but the last a singular message).
// INVALID_ARGUMENT when there is none.
absl::StatusOr<const google::protobuf::FieldDescriptor*> FindField(
    const google::protobuf::Descriptor& type, absl::string_view path);

// Sets the field at `path` of `message` from text: numbers, booleans, enum
// values (full name or its last words, e.g. "ACCEPTED" for
// DELIVERY_STATE_ACCEPTED), dates as YYYY-MM-DD, other messages as JSON. A
// repeated field is replaced by `values`; a singular one takes exactly one.
// INVALID_ARGUMENT saying what does not fit.
absl::Status SetField(google::protobuf::Message& message,
                      absl::string_view path,
                      const std::vector<std::string>& values);

// Whether the field at `path` is set (non-empty for repeated fields).
bool IsFieldSet(const google::protobuf::Message& message,
                absl::string_view path);

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_REQUEST_FIELDS_H_
