#include "libs/file/read_file.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    return WithErrorInfo(
        absl::NotFoundError(absl::StrCat("cannot read ", path)),
        "FILE_UNREADABLE", {{"path", path}});
  }
  return text.str();
}

}  // namespace lienthong
