#ifndef LIBS_PKI_CERTIFICATE_BUILDER_H_
#define LIBS_PKI_CERTIFICATE_BUILDER_H_

// Builds and signs the certificates CertificateAuthority issues: X.509 v3 with
// a random 128-bit serial, subject and authority key identifiers, a critical
// basicConstraints and a critical keyUsage (digitalSignature on leaves;
// keyCertSign and cRLSign on CA:TRUE roots). Leaves carry the identity URIs of
// identity.h. Bad input is INVALID_ARGUMENT with reason
// CERTIFICATE_SPEC_INVALID.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/pki/key_material.h"

namespace lienthong::pki {

// What to put in a leaf certificate.
struct LeafSpec {
  // Subject CN, UTF-8.
  std::string common_name;
  // Written as urn:lienthong:agency:{agency_code}; omitted when empty.
  std::string agency_code;
  // Written as urn:lienthong:role:{role}; omitted when empty. Not checked, so
  // tests can issue certificates with unknown roles.
  std::string role;
  KeyType key_type = KeyType::kEcdsaP256;
  absl::Time not_before;
  absl::Time not_after;
  // Adds the serverAuth extended key usage and the DNS and IP names below.
  bool server = false;
  std::vector<std::string> dns_names;
  // IPv4 or IPv6 literals, e.g. "127.0.0.1".
  std::vector<std::string> ip_addresses;
  // Adds the clientAuth extended key usage.
  bool client = true;
};

// A self-signed CA certificate for `key`.
absl::StatusOr<Certificate> BuildRootCertificate(EVP_PKEY* key,
                                                 absl::string_view common_name,
                                                 absl::Time not_before,
                                                 absl::Time not_after);

// A leaf certificate described by `spec` for `subject_key`, signed by
// `issuer_key` on behalf of `issuer`.
absl::StatusOr<Certificate> BuildLeafCertificate(X509* issuer,
                                                 EVP_PKEY* issuer_key,
                                                 EVP_PKEY* subject_key,
                                                 const LeafSpec& spec);

// The digest to sign with `key` (X509_sign, X509_CRL_sign): SHA-256, or none
// for Ed25519, which hashes internally.
const EVP_MD* SigningDigest(const EVP_PKEY* key);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_CERTIFICATE_BUILDER_H_
