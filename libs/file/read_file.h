#ifndef LIBS_FILE_READ_FILE_H_
#define LIBS_FILE_READ_FILE_H_

// Whole small files (certificates, keys, configuration) read into memory.

#include <string>

#include "absl/status/statusor.h"

namespace lienthong {

// The bytes of the file at `path`; NOT_FOUND (reason FILE_UNREADABLE) when it
// cannot be opened or read.
absl::StatusOr<std::string> ReadFile(const std::string& path);

}  // namespace lienthong

#endif  // LIBS_FILE_READ_FILE_H_
