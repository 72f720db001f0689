#include "services/documents/edxml_common.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "libs/status/status_details.h"

namespace lienthong::documents::edxml_internal {
namespace {

bool IsElementNamed(const xmlNode* node, const xmlChar* name) {
  return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, name);
}

}  // namespace

void EnsureLibxmlInitialized() {
  static const bool initialized = [] {
    xmlInitParser();
    return true;
  }();
  (void)initialized;
}

std::string ElementPath(const xmlNode* node) {
  std::vector<std::string> parts;
  // Stops below the root: paths are relative to the envelope.
  for (; node != nullptr && node->type == XML_ELEMENT_NODE &&
         node->parent != nullptr && node->parent->type == XML_ELEMENT_NODE;
       node = node->parent) {
    int count = 0;
    int index = 0;
    for (const xmlNode* sibling = node->parent->children; sibling != nullptr;
         sibling = sibling->next) {
      if (!IsElementNamed(sibling, node->name)) continue;
      ++count;
      if (sibling == node) index = count;
    }
    std::string part = reinterpret_cast<const char*>(node->name);
    if (count > 1) absl::StrAppend(&part, "[", index, "]");
    parts.push_back(std::move(part));
  }
  std::reverse(parts.begin(), parts.end());
  return absl::StrJoin(parts, "/");
}

std::string ChildPath(const xmlNode* parent, absl::string_view name) {
  std::string path = ElementPath(parent);
  return path.empty() ? std::string(name) : absl::StrCat(path, "/", name);
}

absl::Status EdxmlError(absl::string_view reason, absl::string_view path,
                        absl::string_view description) {
  if (path.empty()) {
    return WithErrorInfo(absl::InvalidArgumentError(description), reason);
  }
  return InvalidArgumentWithViolations(
      absl::StrCat(path, ": ", description), reason,
      {{std::string(path), std::string(description)}});
}

bool IsEdxmlDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '/' || text[7] != '/') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!absl::ascii_isdigit(text[i])) return false;
  }
  auto number = [&](int begin, int length) {
    int value = 0;
    for (int i = begin; i < begin + length; ++i)
      value = value * 10 + text[i] - '0';
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  // CivilDay normalises 2025/02/30 to March; a real day survives unchanged.
  const absl::CivilDay civil(year, month, day);
  return civil.year() == year && civil.month() == month && civil.day() == day;
}

bool IsXmlText(absl::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  if (text.empty()) return true;
  // xmlCheckUTF8 reads up to a NUL, which the loop above has ruled out.
  const std::string copy(text);
  return xmlCheckUTF8(reinterpret_cast<const unsigned char*>(copy.c_str())) !=
         0;
}

std::optional<int> PriorityNumber(v1::Priority priority) {
  if (priority < v1::PRIORITY_NORMAL || priority > v1::PRIORITY_EXPRESS_TIMED) {
    return std::nullopt;
  }
  return static_cast<int>(priority) - 1;
}

std::optional<v1::Priority> PriorityFromNumber(int64_t number) {
  if (number < 0 || number > 4) return std::nullopt;
  return static_cast<v1::Priority>(number + 1);
}

std::optional<int> BusinessDocType(v1::BusinessType type) {
  if (type < v1::BUSINESS_TYPE_NEW || type > v1::BUSINESS_TYPE_REPLACE) {
    return std::nullopt;
  }
  return static_cast<int>(type) - 1;
}

std::optional<v1::BusinessType> BusinessTypeFromDocType(int64_t number) {
  if (number < 0 || number > 3) return std::nullopt;
  return static_cast<v1::BusinessType>(number + 1);
}

}  // namespace lienthong::documents::edxml_internal
