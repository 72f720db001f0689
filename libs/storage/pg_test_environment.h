#ifndef LIBS_STORAGE_PG_TEST_ENVIRONMENT_H_
#define LIBS_STORAGE_PG_TEST_ENVIRONMENT_H_

// One PgTestCluster for a whole test binary, started before its first test and
// stopped after its last. For a backend's instantiation of a shared
// conformance suite, whose fixture (and so SetUpTestSuite) the suite owns;
// such a binary holds that one suite, so this is once per suite.
//
//   PgTestEnvironment* const kPostgres = PgTestEnvironment::Register();
//   ... kPostgres->CreateDatabase() in the suite's store factory ...

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "libs/storage/pg_test_cluster.h"

namespace lienthong {

class PgTestEnvironment : public ::testing::Environment {
 public:
  // Hands a new environment to gtest (which owns it); call it at namespace
  // scope, before main runs the tests.
  static PgTestEnvironment* Register() {
    return static_cast<PgTestEnvironment*>(
        ::testing::AddGlobalTestEnvironment(new PgTestEnvironment()));
  }

  // A failure here fails the binary and runs none of its tests.
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<PgTestCluster>> cluster =
        PgTestCluster::Start();
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
  }
  void TearDown() override { cluster_.reset(); }

  // A new, empty database's connection string.
  absl::StatusOr<std::string> CreateDatabase() {
    if (cluster_ == nullptr) {
      return absl::FailedPreconditionError("the PostgreSQL cluster is down");
    }
    return cluster_->CreateDatabase();
  }

 private:
  std::unique_ptr<PgTestCluster> cluster_;
};

}  // namespace lienthong

#endif  // LIBS_STORAGE_PG_TEST_ENVIRONMENT_H_
