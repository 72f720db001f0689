#ifndef SERVICES_DOCUMENTS_RECEIPT_H_
#define SERVICES_DOCUMENTS_RECEIPT_H_

// The platform's signed receipts: when a recipient accepts a document (state
// 03), the platform signs the document's name, its envelope's SHA-256, the
// recipient and the times, so anyone holding the platform certificate can
// later prove what was received, by whom and when (non-repudiation, as
// X-Road's message log).

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/pki/key_material.h"
#include "lienthong/documents/v1/document.pb.h"

namespace lienthong::pki {
class CertificateVerifier;
}  // namespace lienthong::pki

namespace lienthong::documents {

// The exact bytes a receipt's signature covers: one `field=value` line per
// signed field in a fixed order, times in RFC 3339 UTC with nanoseconds.
std::string ReceiptSignedContent(const v1::Receipt& receipt);

// Signs receipts with the platform's key.
class ReceiptSigner {
 public:
  // `key` and `certificate` (PEM) are the platform's signing pair.
  static absl::StatusOr<ReceiptSigner> FromPem(absl::string_view key_pem,
                                               absl::string_view cert_pem);

  // Fills in `receipt`'s signature and signer certificate over its other
  // fields.
  absl::Status Sign(v1::Receipt& receipt) const;

 private:
  ReceiptSigner(std::shared_ptr<pki::PrivateKey> key,
                std::shared_ptr<pki::Certificate> cert)
      : key_(std::move(key)), cert_(std::move(cert)) {}

  std::shared_ptr<pki::PrivateKey> key_;
  std::shared_ptr<pki::Certificate> cert_;
};

// OK when `receipt` carries a valid signature over its fields by the platform
// certificate `platform_cert_der` (pinned: agencies' certificates come from
// the same CA), trusted by `verifier` at `at`. FAILED_PRECONDITION
// SIGNATURE_INVALID when a signed field was altered,
// SIGNER_CERTIFICATE_MISMATCH when another certificate signed it.
absl::Status VerifyReceipt(const v1::Receipt& receipt,
                           absl::string_view platform_cert_der,
                           const pki::CertificateVerifier& verifier,
                           absl::Time at);

}  // namespace lienthong::documents

#endif  // SERVICES_DOCUMENTS_RECEIPT_H_
