#include "tools/ltctl/value_source.h"

#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lienthong::ltctl::value_source {

using ingestion::v1::ValueRow;

absl::Status Invalid(absl::string_view path, int line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": ", what));
}

bool IsUtf8(absl::string_view s) {
  static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    size_t more = 0;
    uint32_t point = c;
    if (c >= 0x80) {
      if ((c & 0xE0) == 0xC0) {
        more = 1;
      } else if ((c & 0xF0) == 0xE0) {
        more = 2;
      } else if ((c & 0xF8) == 0xF0) {
        more = 3;
      } else {
        return false;
      }
      point = c & (0x3F >> more);
    }
    if (s.size() - i <= more) return false;
    for (size_t k = 1; k <= more; ++k) {
      const unsigned char next = s[i + k];
      if ((next & 0xC0) != 0x80) return false;
      point = point << 6 | (next & 0x3F);
    }
    // Overlong forms and surrogates are malformed too.
    if (point < kMin[more] || point > 0x10FFFF ||
        (point >= 0xD800 && point <= 0xDFFF)) {
      return false;
    }
    i += more + 1;
  }
  return true;
}

namespace {

// "00097" or "units/00097" as "units/00097" (with prefix "units/").
absl::StatusOr<std::string> ResourceName(absl::string_view prefix,
                                         absl::string_view name) {
  absl::string_view code = absl::StripAsciiWhitespace(name);
  absl::ConsumePrefix(&code, prefix);
  if (code.empty()) return absl::InvalidArgumentError("empty");
  if (absl::StrContains(code, '/')) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\" is not a ", prefix, "{code} name"));
  }
  return absl::StrCat(prefix, code);
}

}  // namespace

absl::Status NormaliseNames(absl::string_view path, int line,
                            absl::string_view label, ValueRow* row) {
  absl::StatusOr<std::string> unit = ResourceName("units/", row->unit());
  if (!unit.ok()) {
    return Invalid(path, line,
                   absl::StrCat(label, " unit: ", unit.status().message()));
  }
  absl::StatusOr<std::string> indicator =
      ResourceName("indicators/", row->indicator());
  if (!indicator.ok()) {
    return Invalid(
        path, line,
        absl::StrCat(label, " indicator: ", indicator.status().message()));
  }
  row->set_unit(*std::move(unit));
  row->set_indicator(*std::move(indicator));
  return absl::OkStatus();
}

}  // namespace lienthong::ltctl::value_source
