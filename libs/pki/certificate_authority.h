#ifndef LIBS_PKI_CERTIFICATE_AUTHORITY_H_
#define LIBS_PKI_CERTIFICATE_AUTHORITY_H_

// A development and test certificate authority: a self-signed root that issues
// agency certificates following the identity convention of identity.h, revokes
// them and publishes CRLs. Keys live in memory; it is not a production CA.
// Certificate contents are described in certificate_builder.h.

#include <openssl/x509.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pki/certificate_builder.h"
#include "libs/pki/key_material.h"

namespace lienthong::pki {

// A freshly issued key pair and its certificate.
struct IssuedCertificate {
  PrivateKey key;
  Certificate certificate;
};

// Issues, revokes and publishes CRLs for certificates under one root.
// Not thread-safe.
class CertificateAuthority {
 public:
  // A new root with a fresh `key_type` key, valid from `not_before` to
  // `not_after`.
  static absl::StatusOr<CertificateAuthority> Create(
      absl::string_view common_name, KeyType key_type, absl::Time not_before,
      absl::Time not_after);

  // An existing CA from its key and certificate (PEM), e.g. files a dev tool
  // wrote earlier. INVALID_ARGUMENT SIGNING_KEY_MISMATCH when the key is not
  // the certificate's.
  static absl::StatusOr<CertificateAuthority> FromPem(
      absl::string_view key_pem, absl::string_view cert_pem);

  CertificateAuthority(CertificateAuthority&&) = default;
  CertificateAuthority& operator=(CertificateAuthority&&) = default;

  // A new key pair and a certificate for it signed by this CA.
  absl::StatusOr<IssuedCertificate> Issue(const LeafSpec& spec) const;

  // Lists the certificate with `serial_hex` (see CertificateSerialHex) in
  // later CRLs as revoked at `revoked_at`.
  absl::Status Revoke(absl::string_view serial_hex, absl::Time revoked_at);

  // A CRL signed by this CA as PEM, listing every revocation so far, valid
  // from `this_update` for `validity` (a week unless told).
  absl::StatusOr<std::string> Crl(absl::Time this_update,
                                  absl::Duration validity = absl::Hours(168));

  // The CA's own certificate (non-const because many OpenSSL getters are).
  X509* certificate() const { return certificate_.get(); }
  // The CA's private key as PEM (PKCS#8), to keep it between runs.
  absl::StatusOr<std::string> KeyPem() const {
    return PrivateKeyToPem(key_.get());
  }
  // The CA's own certificate as PEM, for CertificateVerifier.
  absl::StatusOr<std::string> CertificatePem() const {
    return CertificateToPem(certificate_.get());
  }

 private:
  CertificateAuthority(PrivateKey key, Certificate certificate)
      : key_(std::move(key)), certificate_(std::move(certificate)) {}

  PrivateKey key_;
  Certificate certificate_;
  // Serial (uppercase hex) and revocation time of each revoked certificate.
  std::vector<std::pair<std::string, absl::Time>> revoked_;
};

}  // namespace lienthong::pki

#endif  // LIBS_PKI_CERTIFICATE_AUTHORITY_H_
