#ifndef SERVICES_REGISTRY_UNIT_STORE_CONFORMANCE_H_
#define SERVICES_REGISTRY_UNIT_STORE_CONFORMANCE_H_

// The conformance suite every UnitStore backend passes. A backend's test
// instantiates it with a factory:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, UnitStoreConformanceTest,
//                            ::testing::Values(&MakeSqliteStore));

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "libs/clock/clock.h"
#include "services/registry/unit_store.h"

namespace lienthong::registry {

// Makes an empty store using `clock`; each call gives a fresh one.
using UnitStoreFactory =
    std::function<std::unique_ptr<UnitStore>(const Clock* clock)>;

class UnitStoreConformanceTest
    : public ::testing::TestWithParam<UnitStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(&clock_); }

  FakeClock clock_{absl::FromUnixSeconds(1751328000)};  // 2025-07-01T00:00Z
  std::unique_ptr<UnitStore> store_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_UNIT_STORE_CONFORMANCE_H_
