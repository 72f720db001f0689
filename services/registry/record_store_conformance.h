#ifndef SERVICES_REGISTRY_RECORD_STORE_CONFORMANCE_H_
#define SERVICES_REGISTRY_RECORD_STORE_CONFORMANCE_H_

// The conformance suite every RecordStore backend passes; a backend's test
// instantiates RecordStoreConformanceTest with a factory of empty stores.

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "services/registry/record_store.h"

namespace lienthong::registry {

using RecordStoreFactory = std::function<std::unique_ptr<RecordStore>()>;

class RecordStoreConformanceTest
    : public ::testing::TestWithParam<RecordStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<RecordStore> store_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_RECORD_STORE_CONFORMANCE_H_
