#ifndef TESTS_E2E_CALLS_H_
#define TESTS_E2E_CALLS_H_

// What the end-to-end tests' clients share: call deadlines, requests written
// in the contract's JSON mapping, readable statuses, and documents signed the
// way an agency system signs them.

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/cms_signature.h"
#include "libs/pki/key_material.h"
#include "lienthong/documents/v1/document_service.grpc.pb.h"
#include "services/documents/edxml_package.h"

namespace lienthong::e2e {

// A context with a 30 s deadline: generous, for restarts under sanitizers.
inline std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(30));
  return context;
}

// `json` parsed into a Message; a test failure when it does not parse.
template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto parsed = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(parsed.ok()) << parsed.ToString() << "\n" << json;
  return message;
}

inline std::string Describe(const grpc::Status& status) {
  return absl::StrCat(status.error_code(), " ", status.error_message());
}

// Signs `document` as `signer` (a detached CMS signature over its canonical
// envelope, with the signer's certificate).
inline void Sign(const pki::IssuedCertificate& signer,
                 documents::v1::Document& document) {
  absl::StatusOr<std::string> canonical =
      documents::CanonicalEnvelope(document);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  absl::StatusOr<std::string> signature =
      pki::SignDetached(*canonical, signer.key.get(), signer.certificate.get());
  ASSERT_TRUE(signature.ok()) << signature.status();
  absl::StatusOr<std::string> der =
      pki::CertificateToDer(signer.certificate.get());
  ASSERT_TRUE(der.ok()) << der.status();
  document.mutable_signature()->set_signature(*signature);
  document.mutable_signature()->set_signer_certificate(*der);
}

}  // namespace lienthong::e2e

#endif  // TESTS_E2E_CALLS_H_
