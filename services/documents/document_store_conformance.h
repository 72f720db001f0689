#ifndef SERVICES_DOCUMENTS_DOCUMENT_STORE_CONFORMANCE_H_
#define SERVICES_DOCUMENTS_DOCUMENT_STORE_CONFORMANCE_H_

// The conformance suite every DocumentStore backend passes, through the
// interface only; a backend's test instantiates DocumentStoreConformance with
// a factory of empty stores:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, DocumentStoreConformance,
//                            ::testing::Values(DocumentStoreFactory(&Make)));

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lienthong/documents/v1/document.pb.h"
#include "services/documents/document_store.h"

namespace lienthong::documents {

// Makes a new, empty store.
using DocumentStoreFactory = std::function<std::unique_ptr<DocumentStore>()>;

// The suite's fixture: `store_` is a fresh store from the factory.
class DocumentStoreConformance
    : public ::testing::TestWithParam<DocumentStoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam()();
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<DocumentStore> store_;
};

// A new document `documents/{id}` from `sender` (agencies/{code}) with one
// delivery per recipient, in the given order, and every body field set.
NewDocument TestDocument(const std::string& id, const std::string& sender,
                         const std::vector<std::string>& recipients,
                         const std::string& request_id = "");

// Moves the delivery of document `id` to `recipient` from `expected` to
// `state`, reported by the recipient at `unix_seconds`.
TraceAppend TestAppend(const std::string& id, const std::string& recipient,
                       v1::DeliveryState expected, v1::DeliveryState state,
                       int64_t unix_seconds = 1741939200);

// A receipt of `recipient`'s acceptance of document `id`.
v1::Receipt TestReceipt(const std::string& id, const std::string& recipient);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_DOCUMENT_STORE_CONFORMANCE_H_
