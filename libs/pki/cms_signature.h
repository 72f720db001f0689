#ifndef LIBS_PKI_CMS_SIGNATURE_H_
#define LIBS_PKI_CMS_SIGNATURE_H_

// Detached CMS (RFC 5652) signatures over arbitrary bytes, e.g. documents
// exchanged between agencies. A signature is DER SignedData with exactly one
// SignerInfo carrying signed attributes, the signer's certificate included and
// the content left out. Algorithms: ECDSA P-256 and RSA (PKCS#1 v1.5 or PSS)
// with SHA-256; Ed25519 with SHA-512 as RFC 8419 requires.
//
// Verification errors, in the order they are checked:
//   INVALID_ARGUMENT SIGNATURE_MALFORMED: not DER SignedData, content embedded,
//     not exactly one signer, or the signer's certificate missing;
//   FAILED_PRECONDITION SIGNATURE_INVALID: the content or the signature does
//     not match;
//   FAILED_PRECONDITION SIGNER_CERTIFICATE_MISMATCH: not the expected signer;
//   then CertificateVerifier's errors for the signer certificate at that time.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pki/certificate_verifier.h"
#include "libs/pki/identity.h"

namespace lienthong::pki {

// How SignDetached signs.
struct SignatureOptions {
  // RSA-PSS (SHA-256, MGF1 with SHA-256, salt as long as the digest) instead
  // of PKCS#1 v1.5; RSA keys only.
  bool rsa_pss = false;
};

// Who signed, once a signature has been verified.
struct VerifiedSignature {
  Identity signer;
  std::string signer_certificate_der;
};

// A detached signature (DER) by `key`, whose certificate is `certificate`,
// over `content`. INVALID_ARGUMENT with SIGNING_KEY_MISMATCH when the key is
// not the certificate's, SIGNATURE_OPTIONS_INVALID for PSS with a non-RSA key.
absl::StatusOr<std::string> SignDetached(absl::string_view content,
                                         EVP_PKEY* key, X509* certificate,
                                         const SignatureOptions& options = {});

// The signer of `signature_der` over `content`, if the signature verifies and
// the signer's certificate is trusted by `verifier` at `at`.
absl::StatusOr<VerifiedSignature> VerifyDetached(
    absl::string_view signature_der, absl::string_view content,
    const CertificateVerifier& verifier, absl::Time at);

// As above, and the signer's certificate must be `expected_signer_der`.
absl::StatusOr<VerifiedSignature> VerifyDetached(
    absl::string_view signature_der, absl::string_view content,
    absl::string_view expected_signer_der, const CertificateVerifier& verifier,
    absl::Time at);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_CMS_SIGNATURE_H_
