#ifndef LIBS_PKI_CERTIFICATE_VERIFIER_H_
#define LIBS_PKI_CERTIFICATE_VERIFIER_H_

// Decides whether a certificate is trusted at a given time and whom it speaks
// for. Trust anchors are the given CA certificates (any of them may be an
// intermediate: partial chains are accepted). With CRLs, revocation is checked
// for the leaf, and every issuing CA must then have a current CRL.
//
// Failures are FAILED_PRECONDITION with reason CERTIFICATE_EXPIRED,
// CERTIFICATE_NOT_YET_VALID, CERTIFICATE_REVOKED or CERTIFICATE_UNTRUSTED (any
// other failure, e.g. an unknown issuer or a stale CRL); the message carries
// OpenSSL's verify error and the metadata its "verify_error" and "depth".
// A trusted certificate without a valid identity fails as
// IdentityFromCertificate does.

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pki/identity.h"
#include "libs/pki/openssl_support.h"

namespace lienthong::pki {

// Verifies certificates against fixed trust anchors and CRLs. Immutable after
// Create, so one instance may serve many threads.
class CertificateVerifier {
 public:
  // A verifier trusting every certificate in `ca_pems` (each may be a bundle)
  // and honouring the CRLs in `crl_pems`. INVALID_ARGUMENT when a PEM does not
  // parse (CERTIFICATE_MALFORMED, CRL_MALFORMED) or no CA is given
  // (NO_TRUSTED_CA).
  static absl::StatusOr<CertificateVerifier> Create(
      const std::vector<std::string>& ca_pems,
      const std::vector<std::string>& crl_pems = {});

  // The identity of the DER certificate `certificate_der`, if it is trusted at
  // `at`. INVALID_ARGUMENT (CERTIFICATE_MALFORMED) when it does not parse.
  absl::StatusOr<Identity> Verify(absl::string_view certificate_der,
                                  absl::Time at) const;

  // The identity of `certificate`, if it is trusted at `at`.
  absl::StatusOr<Identity> Verify(X509* certificate, absl::Time at) const;

 private:
  using UniqueStore = OpenSslPtr<X509_STORE, X509_STORE_free>;

  CertificateVerifier(UniqueStore store, bool check_crls)
      : store_(std::move(store)), check_crls_(check_crls) {}

  // Shared so copies of the verifier share one read-only store.
  std::shared_ptr<X509_STORE> store_;
  bool check_crls_;
};

}  // namespace lienthong::pki

#endif  // LIBS_PKI_CERTIFICATE_VERIFIER_H_
