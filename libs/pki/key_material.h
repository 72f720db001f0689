#ifndef LIBS_PKI_KEY_MATERIAL_H_
#define LIBS_PKI_KEY_MATERIAL_H_

// Private keys, X.509 certificates and CRLs as owned OpenSSL objects, key
// generation, and their PEM/DER encodings. Parse failures are INVALID_ARGUMENT
// with reasons PRIVATE_KEY_MALFORMED, CERTIFICATE_MALFORMED or CRL_MALFORMED.
// Encrypted private keys are refused rather than prompting for a password.

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/pki/openssl_support.h"

namespace lienthong::pki {

// The key algorithms the platform issues and accepts.
enum class KeyType { kEd25519, kEcdsaP256, kRsa2048 };

// An owned key pair (or public key).
using PrivateKey = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
// An owned X.509 certificate.
using Certificate = OpenSslPtr<X509, X509_free>;
// An owned X.509 certificate revocation list.
using CertificateRevocationList = OpenSslPtr<X509_CRL, X509_CRL_free>;

// A readable name of `type`, e.g. "EcdsaP256", for logs and test names.
absl::string_view KeyTypeName(KeyType type);

// A fresh random key pair of `type`.
absl::StatusOr<PrivateKey> GenerateKey(KeyType type);

// The key in an unencrypted PEM block (PKCS#8 or traditional).
absl::StatusOr<PrivateKey> ParsePrivateKeyPem(absl::string_view pem);
// The key in unencrypted DER (PKCS#8 or traditional), with nothing after it.
absl::StatusOr<PrivateKey> ParsePrivateKeyDer(absl::string_view der);
// `key` as an unencrypted PKCS#8 PEM block ("PRIVATE KEY").
absl::StatusOr<std::string> PrivateKeyToPem(const EVP_PKEY* key);
// `key` as unencrypted PKCS#8 DER.
absl::StatusOr<std::string> PrivateKeyToDer(const EVP_PKEY* key);

// The one certificate in `pem`.
absl::StatusOr<Certificate> ParseCertificatePem(absl::string_view pem);
// Every certificate in `pem`, a bundle of one or more "CERTIFICATE" blocks.
absl::StatusOr<std::vector<Certificate>> ParseCertificatesPem(
    absl::string_view pem);
// The certificate in `der`, with nothing after it.
absl::StatusOr<Certificate> ParseCertificateDer(absl::string_view der);
// `certificate` as a PEM block.
absl::StatusOr<std::string> CertificateToPem(const X509* certificate);
// `certificate` as DER.
absl::StatusOr<std::string> CertificateToDer(const X509* certificate);
// The serial number of `certificate` in uppercase hex, e.g. "3F09A1...".
std::string CertificateSerialHex(const X509* certificate);

// Every CRL in `pem`, one or more "X509 CRL" blocks.
absl::StatusOr<std::vector<CertificateRevocationList>> ParseCrlsPem(
    absl::string_view pem);
// `crl` as a PEM block.
absl::StatusOr<std::string> CrlToPem(const X509_CRL* crl);

// SHA-256 of `data` as 64 lowercase hex digits, e.g. for fingerprints.
std::string Sha256Hex(absl::string_view data);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_KEY_MATERIAL_H_
