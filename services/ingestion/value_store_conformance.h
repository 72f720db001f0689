#ifndef SERVICES_INGESTION_VALUE_STORE_CONFORMANCE_H_
#define SERVICES_INGESTION_VALUE_STORE_CONFORMANCE_H_

// The conformance suite every ValueStore backend passes; a backend's test
// instantiates ValueStoreConformanceTest with a factory of empty stores.

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "services/ingestion/value_store.h"

namespace lienthong::ingestion {

using ValueStoreFactory = std::function<std::unique_ptr<ValueStore>()>;

class ValueStoreConformanceTest
    : public ::testing::TestWithParam<ValueStoreFactory> {
 protected:
  void SetUp() override { store_ = GetParam()(); }
  std::unique_ptr<ValueStore> store_;
};

}  // namespace lienthong::ingestion

#endif  // SERVICES_INGESTION_VALUE_STORE_CONFORMANCE_H_
