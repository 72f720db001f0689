#ifndef SERVICES_REPORTING_REPORTING_STORE_CONFORMANCE_H_
#define SERVICES_REPORTING_REPORTING_STORE_CONFORMANCE_H_

// The conformance suite every ReportingStore backend passes; a backend's test
// instantiates ReportingStoreConformanceTest with a factory of stores, each
// call opening the same storage afresh (as after a restart).

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "services/reporting/reporting_store.h"

namespace lienthong::reporting {

// Opens the store under test; `fresh` starts from empty storage, otherwise
// the storage of the previous call is opened again.
using ReportingStoreFactory =
    std::function<std::unique_ptr<ReportingStore>(bool fresh)>;

class ReportingStoreConformanceTest
    : public ::testing::TestWithParam<ReportingStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(true); }
  void Reopen() {
    store_.reset();
    store_ = GetParam()(false);
  }
  std::unique_ptr<ReportingStore> store_;
};

}  // namespace lienthong::reporting

#endif  // SERVICES_REPORTING_REPORTING_STORE_CONFORMANCE_H_
