#ifndef SERVICES_REPORTING_OFFSET_PAGE_H_
#define SERVICES_REPORTING_OFFSET_PAGE_H_

// One page of a list computed whole (reporting lists are derived, not
// stored): page tokens are offsets into it.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "libs/status/status_details.h"

namespace lienthong::reporting {

// Moves the page of `items` that `token` and `page_size` (0 means 100, at
// most 1,000) name into `page`, and sets `next_token` when more follow.
// INVALID_ARGUMENT for a token this service did not issue or a negative size.
template <typename T>
absl::Status TakePage(std::vector<T>& items, const std::string& token,
                      int page_size,
                      google::protobuf::RepeatedPtrField<T>* page,
                      std::string* next_token) {
  std::vector<FieldViolation> violations;
  size_t offset = 0;
  if (!token.empty() && !absl::SimpleAtoi(token, &offset)) {
    violations.push_back({"page_token", "is not a token this service issued"});
  }
  if (page_size < 0) {
    violations.push_back({"page_size", "must not be negative"});
  }
  if (!violations.empty()) {
    return InvalidArgumentWithViolations("invalid page", "INVALID_PAGE",
                                         violations);
  }
  size_t size = page_size == 0 ? 100 : std::min(page_size, 1000);
  size_t first = std::min(offset, items.size());
  size_t end = std::min(items.size(), first + size);
  for (size_t i = first; i < end; ++i) *page->Add() = std::move(items[i]);
  if (end < items.size()) *next_token = absl::StrCat(end);
  return absl::OkStatus();
}

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_OFFSET_PAGE_H_
