#include "tools/ltctl/response_printer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/util/json_util.h"

namespace lienthong::ltctl {
namespace {

using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Number(double value) { return absl::StrFormat("%.15g", value); }

// An enum value without the words every value of its enum starts with:
// ACHIEVEMENT_STATUS_ACHIEVED prints as ACHIEVED.
std::string EnumText(const EnumValueDescriptor& value) {
  absl::string_view prefix = value.type()->value(0)->name();
  if (!absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) return value.name();
  absl::string_view name = value.name();
  absl::ConsumePrefix(&name, prefix);
  return std::string(name);
}

// Messages people read often in a shorter form than JSON.
std::string MessageText(const Message& message) {
  const std::string& type = message.GetDescriptor()->full_name();
  if (type == "lienthong.common.v1.Date") {
    auto part = [&message](const char* name) {
      return message.GetReflection()->GetInt32(
          message, message.GetDescriptor()->FindFieldByName(name));
    };
    if (part("year") == 0) return "";
    return absl::StrFormat("%04d-%02d-%02d", part("year"), part("month"),
                           part("day"));
  }
  if (type == "lienthong.common.v1.Period") return FieldText(message, "id");
  if (type == "lienthong.common.v1.Value") {
    const Reflection& reflection = *message.GetReflection();
    const FieldDescriptor* kind = reflection.GetOneofFieldDescriptor(
        message, message.GetDescriptor()->oneof_decl(0));
    if (kind == nullptr) return "";
    if (kind->name() == "percent") {
      return absl::StrCat(FieldText(message, "percent"), "%");
    }
    if (kind->name() == "ratio") {
      return absl::StrCat(FieldText(message, "ratio.numerator"), "/",
                          FieldText(message, "ratio.denominator"));
    }
    return FieldText(message, kind->name());
  }
  std::string json = ToJson(message, false);
  // Timestamps, durations and field masks are JSON strings: no quotes.
  if (json.size() >= 2 && json.front() == '"' && json.back() == '"') {
    return json.substr(1, json.size() - 2);
  }
  return json;
}

// One value of a field; `index` picks the element of a repeated field.
std::string ValueText(const Message& message, const FieldDescriptor& field,
                      int index) {
  const Reflection& r = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return repeated ? r.GetRepeatedString(message, &field, index)
                      : r.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(repeated ? r.GetRepeatedInt32(message, &field, index)
                                   : r.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(repeated ? r.GetRepeatedInt64(message, &field, index)
                                   : r.GetInt64(message, &field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(repeated ? r.GetRepeatedUInt32(message, &field, index)
                                   : r.GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(repeated ? r.GetRepeatedUInt64(message, &field, index)
                                   : r.GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Number(repeated ? r.GetRepeatedDouble(message, &field, index)
                             : r.GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Number(repeated ? r.GetRepeatedFloat(message, &field, index)
                             : r.GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r.GetRepeatedBool(message, &field, index)
                       : r.GetBool(message, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumText(repeated ? *r.GetRepeatedEnum(message, &field, index)
                               : *r.GetEnum(message, &field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return MessageText(repeated ? r.GetRepeatedMessage(message, &field, index)
                                  : r.GetMessage(message, &field));
  }
  return "";
}

}  // namespace

std::string ToJson(const Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  std::string json;
  // Generated messages always print.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string FieldText(const Message& message, absl::string_view path) {
  const Message* current = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) return "";
    const bool last = i + 1 == parts.size();
    if (field->is_repeated()) {
      // Each element's text, or the rest of the path in each element
      // ("header.to.organ_id").
      const Reflection& reflection = *current->GetReflection();
      const std::string rest =
          absl::StrJoin(parts.begin() + i + 1, parts.end(), ".");
      std::vector<std::string> values;
      for (int j = 0; j < reflection.FieldSize(*current, field); ++j) {
        values.push_back(
            last || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE
                ? ValueText(*current, *field, j)
                : FieldText(reflection.GetRepeatedMessage(*current, field, j),
                            rest));
      }
      return absl::StrJoin(values, ",");
    }
    if (last || field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return ValueText(*current, *field, 0);
    }
    current = &current->GetReflection()->GetMessage(*current, field);
  }
  return "";
}

void PrintResponse(const Message& response, bool json, const TextLayout& layout,
                   std::ostream& out, std::ostream& err) {
  const FieldDescriptor* list =
      layout.list.empty()
          ? nullptr
          : response.GetDescriptor()->FindFieldByName(layout.list);
  if (json || list == nullptr || !list->is_repeated() ||
      list->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
    std::string text = ToJson(response, true);
    if (text.empty() || text.back() != '\n') text.push_back('\n');
    out << text;
    return;
  }
  const Reflection& reflection = *response.GetReflection();
  const int size = reflection.FieldSize(response, list);
  for (int i = 0; i < size; ++i) {
    const Message& item = reflection.GetRepeatedMessage(response, list, i);
    std::vector<std::string> cells;
    for (const std::string& column : layout.columns) {
      cells.push_back(FieldText(item, column));
    }
    out << absl::StrJoin(cells, "\t") << "\n";
  }
  if (std::string token = FieldText(response, "next_page_token");
      !token.empty()) {
    err << "more: --page_token=" << token << "\n";
  }
}

}  // namespace lienthong::ltctl
