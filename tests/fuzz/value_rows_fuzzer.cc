// Value files a commune pushes (CSV or JSON rows, the first byte chooses):
// reading never crashes, and either yields rows or a clear error.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "tools/ltctl/value_file.h"

namespace {

std::string TempPath() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/value_rows_fuzzer." +
         std::to_string(getpid());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ltctl = lienthong::ltctl;
  if (size == 0) return 0;
  const ltctl::ValueFileFormat format = data[0] % 2 == 0
                                            ? ltctl::ValueFileFormat::kCsv
                                            : ltctl::ValueFileFormat::kJson;
  static const std::string path = TempPath();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), size - 1);
  }
  auto value_type = [](const std::string& indicator)
      -> absl::StatusOr<lienthong::registry::v1::ValueType> {
    if (indicator == "indicators/PCT") {
      return lienthong::registry::v1::VALUE_TYPE_PERCENT;
    }
    if (indicator == "indicators/RATIO") {
      return lienthong::registry::v1::VALUE_TYPE_RATIO;
    }
    if (indicator == "indicators/MISSING") {
      return absl::NotFoundError("no such indicator");
    }
    return lienthong::registry::v1::VALUE_TYPE_COUNT;
  };
  auto reader = ltctl::ValueFileReader::Open(path, format, value_type);
  if (!reader.ok()) return 0;
  for (int batches = 0; batches < 1000; ++batches) {
    auto rows = (*reader)->Next(100);
    if (!rows.ok() || rows->empty()) break;
  }
  return 0;
}
