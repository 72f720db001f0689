#ifndef LIBS_AUDIT_AUDIT_STORE_CONFORMANCE_H_
#define LIBS_AUDIT_AUDIT_STORE_CONFORMANCE_H_

// The conformance suite every AuditStore backend passes; a backend's test
// instantiates AuditStoreConformanceTest with a factory of empty stores.

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "libs/audit/audit_store.h"

namespace lienthong::audit {

using AuditStoreFactory = std::function<std::unique_ptr<AuditStore>()>;

class AuditStoreConformanceTest
    : public ::testing::TestWithParam<AuditStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<AuditStore> store_;
};

}  // namespace lienthong::audit

#endif  // LIBS_AUDIT_AUDIT_STORE_CONFORMANCE_H_
