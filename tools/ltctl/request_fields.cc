#include "tools/ltctl/request_fields.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "libs/file/read_file.h"

namespace lienthong::ltctl {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kDateType = "lienthong.common.v1.Date";

// The caller says which flag or argument `value` came from.
absl::Status NotA(absl::string_view value, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("\"", value, "\" is not ", what));
}

// The enum value `text` names: its full name, or the words after the
// enum's prefix ("ACCEPTED", "accepted" for DELIVERY_STATE_ACCEPTED).
const EnumValueDescriptor* EnumValue(const FieldDescriptor& field,
                                     absl::string_view text) {
  const std::string wanted = absl::AsciiStrToUpper(text);
  const auto* type = field.enum_type();
  if (const auto* exact = type->FindValueByName(wanted)) return exact;
  // The enum's own prefix first: REFUSED is DELIVERY_STATE_REFUSED, not
  // DELIVERY_STATE_TAKE_BACK_REFUSED.
  absl::string_view prefix = type->value(0)->name();
  if (absl::ConsumeSuffix(&prefix, "UNSPECIFIED")) {
    if (const auto* value =
            type->FindValueByName(absl::StrCat(prefix, wanted))) {
      return value;
    }
  }
  const EnumValueDescriptor* found = nullptr;
  for (int i = 0; i < type->value_count(); ++i) {
    if (absl::EndsWith(type->value(i)->name(), absl::StrCat("_", wanted))) {
      if (found != nullptr) return nullptr;  // ambiguous
      found = type->value(i);
    }
  }
  return found;
}

// "one of ARRIVED, REFUSED, ..." for `field`'s enum.
std::string EnumChoices(const FieldDescriptor& field) {
  const auto* type = field.enum_type();
  absl::string_view prefix = type->value(0)->name();
  const bool short_names = absl::ConsumeSuffix(&prefix, "UNSPECIFIED");
  std::vector<std::string> names;
  for (int i = short_names ? 1 : 0; i < type->value_count(); ++i) {
    absl::string_view name = type->value(i)->name();
    if (short_names) absl::ConsumePrefix(&name, prefix);
    names.emplace_back(name);
  }
  return absl::StrCat("one of ", absl::StrJoin(names, ", "));
}

// A message field's value: YYYY-MM-DD for a Date, JSON for the rest.
absl::Status ParseMessage(absl::string_view text, Message& message) {
  absl::CivilDay day;
  if (message.GetDescriptor()->full_name() == kDateType &&
      absl::ParseCivilTime(text, &day)) {
    const Descriptor& type = *message.GetDescriptor();
    const Reflection& reflection = *message.GetReflection();
    reflection.SetInt32(&message, type.FindFieldByName("year"),
                        static_cast<int32_t>(day.year()));
    reflection.SetInt32(&message, type.FindFieldByName("month"), day.month());
    reflection.SetInt32(&message, type.FindFieldByName("day"), day.day());
    return absl::OkStatus();
  }
  auto parsed = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &message);
  if (parsed.ok()) return absl::OkStatus();
  return NotA(text,
              message.GetDescriptor()->full_name() == kDateType
                  ? "a date, YYYY-MM-DD"
                  : absl::StrCat("a ", message.GetDescriptor()->full_name(),
                                 " in JSON"));
}

// Sets (or, for a repeated field, adds) one value of `field` from text.
absl::Status AddValue(Message& message, const FieldDescriptor& field,
                      const std::string& text) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? reflection.AddString(&message, &field, text)
               : reflection.SetString(&message, &field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      int64_t number;
      if (!absl::SimpleAtoi(text, &number)) {
        return NotA(text, "a whole number");
      }
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
        if (number != static_cast<int32_t>(number)) {
          return NotA(text, "a 32-bit number");
        }
        repeated ? reflection.AddInt32(&message, &field,
                                       static_cast<int32_t>(number))
                 : reflection.SetInt32(&message, &field,
                                       static_cast<int32_t>(number));
      } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_INT64) {
        repeated ? reflection.AddInt64(&message, &field, number)
                 : reflection.SetInt64(&message, &field, number);
      } else if (number < 0) {
        return NotA(text, "a number >= 0");
      } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
        repeated ? reflection.AddUInt32(&message, &field,
                                        static_cast<uint32_t>(number))
                 : reflection.SetUInt32(&message, &field,
                                        static_cast<uint32_t>(number));
      } else {
        repeated ? reflection.AddUInt64(&message, &field, number)
                 : reflection.SetUInt64(&message, &field, number);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double number;
      if (!absl::SimpleAtod(text, &number)) return NotA(text, "a number");
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_FLOAT) {
        float narrow = static_cast<float>(number);
        repeated ? reflection.AddFloat(&message, &field, narrow)
                 : reflection.SetFloat(&message, &field, narrow);
      } else {
        repeated ? reflection.AddDouble(&message, &field, number)
                 : reflection.SetDouble(&message, &field, number);
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool value;
      if (!absl::SimpleAtob(text, &value)) {
        return NotA(text, "true or false");
      }
      repeated ? reflection.AddBool(&message, &field, value)
               : reflection.SetBool(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* value = EnumValue(field, text);
      if (value == nullptr) return NotA(text, EnumChoices(field));
      repeated ? reflection.AddEnum(&message, &field, value)
               : reflection.SetEnum(&message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return ParseMessage(
          text, repeated ? *reflection.AddMessage(&message, &field)
                         : *reflection.MutableMessage(&message, &field));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field.name(), " cannot be set from text"));
}

}  // namespace

absl::Status ParseRequest(const std::string& text, Message& request) {
  if (text.empty()) return absl::OkStatus();
  std::string json = text;
  if (text[0] == '@') {
    absl::StatusOr<std::string> content = ReadFile(text.substr(1));
    if (!content.ok()) return content.status();
    json = *std::move(content);
  }
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &request);
  if (parsed.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "--request is not a ", request.GetDescriptor()->full_name(), " in JSON: ",
      std::string(parsed.message().data(), parsed.message().size())));
}

absl::StatusOr<const FieldDescriptor*> FindField(const Descriptor& type,
                                                 absl::string_view path) {
  const Descriptor* current = &type;
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (field != nullptr) {
      if (field->is_repeated() ||
          field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        field = nullptr;
        break;
      }
      current = field->message_type();
    }
    field = current->FindFieldByName(std::string(part));
    if (field == nullptr) break;
  }
  if (field == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(type.full_name(), " has no field ", path));
  }
  return field;
}

absl::Status SetField(Message& message, absl::string_view path,
                      const std::vector<std::string>& values) {
  absl::StatusOr<const FieldDescriptor*> field =
      FindField(*message.GetDescriptor(), path);
  if (!field.ok()) return field.status();
  if (!(*field)->is_repeated() && values.size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        (*field)->name(), " takes one value, not ", values.size()));
  }
  Message* target = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    target = target->GetReflection()->MutableMessage(
        target,
        target->GetDescriptor()->FindFieldByName(std::string(parts[i])));
  }
  target->GetReflection()->ClearField(target, *field);
  for (const std::string& value : values) {
    if (absl::Status added = AddValue(*target, **field, value); !added.ok()) {
      return added;
    }
  }
  return absl::OkStatus();
}

bool IsFieldSet(const Message& message, absl::string_view path) {
  const Message* current = &message;
  std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* field =
        current->GetDescriptor()->FindFieldByName(std::string(parts[i]));
    if (field == nullptr) return false;
    const Reflection& reflection = *current->GetReflection();
    if (field->is_repeated()) {
      return i + 1 == parts.size() && reflection.FieldSize(*current, field) > 0;
    }
    if (!reflection.HasField(*current, field)) return false;
    if (i + 1 < parts.size()) {
      if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return false;
      current = &reflection.GetMessage(*current, field);
    }
  }
  return true;
}

}  // namespace lienthong::ltctl
