#include "services/lienthongd/deployment_config.h"

#include <cstdlib>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/status/status_details.h"
#include "libs/testing/status_matchers.h"

namespace lienthong {
namespace {

using ::lienthong::testing::StatusCodeIs;
using ::testing::ElementsAre;
using ::testing::Pair;

std::string WriteConfig(const std::string& name, const std::string& json) {
  std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  std::ofstream(path) << json;
  return path;
}

TEST(DeploymentConfigTest, ReadsAddressesByService) {
  LT_ASSERT_OK_AND_ASSIGN(
      auto addresses,
      ReadDeploymentConfig(WriteConfig(
          "good.json", R"({"addresses": {"registry": "10.0.0.1:7001",
                                          "ingestion": "ingest.local:7002",
                                          "reporting": "[::1]:7003"}})")));
  EXPECT_THAT(addresses, ElementsAre(Pair("ingestion", "ingest.local:7002"),
                                     Pair("registry", "10.0.0.1:7001"),
                                     Pair("reporting", "[::1]:7003")));
}

TEST(DeploymentConfigTest, RefusesUnknownServicesAndBadAddresses) {
  absl::StatusOr<std::map<std::string, std::string>> read =
      ReadDeploymentConfig(
          WriteConfig("bad.json", R"({"addresses": {"registry": "no-port",
                                         "billing": "10.0.0.1:1",
                                         "ingestion": "h:70000"}})"));
  EXPECT_THAT(read, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(read.status()), "DEPLOYMENT_CONFIG_INVALID");
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolations(read.status())) {
    fields.push_back(violation.field);
  }
  EXPECT_THAT(fields, ElementsAre("addresses.billing", "addresses.ingestion",
                                  "addresses.registry"));
}

TEST(DeploymentConfigTest, RefusesWhatIsNotJsonOrCannotBeRead) {
  absl::StatusOr<std::map<std::string, std::string>> read =
      ReadDeploymentConfig(WriteConfig("typo.json", R"({"adresses": {}})"));
  EXPECT_THAT(read, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(read.status()), "DEPLOYMENT_CONFIG_INVALID");

  read = ReadDeploymentConfig(WriteConfig("missing.json", "") + ".absent");
  EXPECT_THAT(read, StatusCodeIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ErrorReason(read.status()), "DEPLOYMENT_CONFIG_UNREADABLE");
}

TEST(DeploymentConfigTest, ListensAtTheFlagThenItsServicesAddress) {
  std::map<std::string, std::string> addresses = {
      {"registry", "10.0.0.1:7001"}, {"ingestion", "10.0.0.2:7002"}};
  EXPECT_EQ(*ListenAddress("0.0.0.0:9", {"ingestion"}, addresses, "fb:1"),
            "0.0.0.0:9");
  EXPECT_EQ(*ListenAddress("", {"reporting", "ingestion"}, addresses, "fb:1"),
            "10.0.0.2:7002");
  EXPECT_EQ(*ListenAddress("", {"documents"}, addresses, "fb:1"), "fb:1");
  EXPECT_EQ(*ListenAddress("", {}, addresses, "fb:1"), "fb:1");
  // Two services at two addresses cannot share one port.
  absl::StatusOr<std::string> conflict =
      ListenAddress("", {"registry", "ingestion"}, addresses, "fb:1");
  EXPECT_THAT(conflict, StatusCodeIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(ErrorReason(conflict.status()), "CONFLICTING_ADDRESSES");
}

}  // namespace
}  // namespace lienthong
