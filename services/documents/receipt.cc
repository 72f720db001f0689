#include "services/documents/receipt.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/cms_signature.h"
#include "libs/status/status_details.h"

namespace lienthong::documents {

using google::protobuf::util::TimeUtil;

std::string ReceiptSignedContent(const v1::Receipt& receipt) {
  return absl::StrCat(
      "lienthong-receipt-v1\n", "document=", receipt.document(), "\n",
      "envelope_sha256=", receipt.envelope_sha256(), "\n",
      "recipient=", receipt.recipient(), "\n",
      "receive_time=", TimeUtil::ToString(receipt.receive_time()), "\n",
      "accept_time=", TimeUtil::ToString(receipt.accept_time()), "\n");
}

absl::StatusOr<ReceiptSigner> ReceiptSigner::FromPem(
    absl::string_view key_pem, absl::string_view cert_pem) {
  absl::StatusOr<pki::PrivateKey> key = pki::ParsePrivateKeyPem(key_pem);
  if (!key.ok()) return key.status();
  absl::StatusOr<pki::Certificate> cert = pki::ParseCertificatePem(cert_pem);
  if (!cert.ok()) return cert.status();
  return ReceiptSigner(std::make_shared<pki::PrivateKey>(*std::move(key)),
                       std::make_shared<pki::Certificate>(*std::move(cert)));
}

absl::Status ReceiptSigner::Sign(v1::Receipt& receipt) const {
  absl::StatusOr<std::string> signature = pki::SignDetached(
      ReceiptSignedContent(receipt), key_->get(), cert_->get());
  if (!signature.ok()) return signature.status();
  absl::StatusOr<std::string> der = pki::CertificateToDer(cert_->get());
  if (!der.ok()) return der.status();
  receipt.set_signature(*std::move(signature));
  receipt.set_signer_certificate(*std::move(der));
  return absl::OkStatus();
}

absl::Status VerifyReceipt(const v1::Receipt& receipt,
                           absl::string_view platform_cert_der,
                           const pki::CertificateVerifier& verifier,
                           absl::Time at) {
  return pki::VerifyDetached(receipt.signature(), ReceiptSignedContent(receipt),
                             platform_cert_der, verifier, at)
      .status();
}

}  // namespace lienthong::documents
