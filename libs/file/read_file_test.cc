#include "libs/file/read_file.h"

#include <fstream>

#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

TEST(ReadFileTest, ReadsEveryByte) {
  const std::string path = std::string(getenv("TEST_TMPDIR")) + "/bytes";
  const std::string bytes("ca.pem\0\xff tail", 13);
  std::ofstream(path, std::ios::binary) << bytes;
  EXPECT_THAT(ReadFile(path), testing::IsOkAndHolds(bytes));
}

TEST(ReadFileTest, AMissingFileIsNotFound) {
  absl::StatusOr<std::string> missing =
      ReadFile(std::string(getenv("TEST_TMPDIR")) + "/missing");
  EXPECT_THAT(missing, testing::StatusCodeIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ErrorReason(missing.status()), "FILE_UNREADABLE");
}

}  // namespace
}  // namespace lienthong
