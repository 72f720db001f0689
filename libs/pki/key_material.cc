#include "libs/pki/key_material.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <climits>
#include <cstdlib>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lienthong::pki {
namespace {

// A pem_password_cb that supplies no password, so encrypted PEM fails instead
// of prompting on the terminal.
int RefusePassword(char*, int, int, void*) { return 0; }

absl::Status Malformed(absl::string_view reason, absl::string_view what) {
  return OpenSslError(absl::StatusCode::kInvalidArgument, reason,
                      absl::StrCat("cannot parse ", what));
}

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

// Reads PEM blocks of one kind with `read` until the input ends.
template <typename T, auto kFree, typename Read>
absl::StatusOr<std::vector<OpenSslPtr<T, kFree>>> ReadAllPem(
    absl::string_view pem, Read read, absl::string_view reason,
    absl::string_view what) {
  ERR_clear_error();
  UniqueBio bio = ReadOnlyBio(pem);
  if (bio == nullptr) return OpenSslInternalError("BIO_new_mem_buf");
  std::vector<OpenSslPtr<T, kFree>> objects;
  while (T* object = read(bio.get(), nullptr, RefusePassword, nullptr)) {
    objects.emplace_back(object);
  }
  // Running out of blocks ends the loop with "no start line"; anything else
  // is a damaged block.
  unsigned long error = ERR_peek_last_error();
  bool clean_end = error == 0 || (ERR_GET_LIB(error) == ERR_LIB_PEM &&
                                  ERR_GET_REASON(error) == PEM_R_NO_START_LINE);
  if (!clean_end || objects.empty()) return Malformed(reason, what);
  ERR_clear_error();
  return objects;
}

// Parses exactly `der` with `d2i`, refusing trailing bytes.
template <typename T, auto kFree, typename D2i>
absl::StatusOr<OpenSslPtr<T, kFree>> ReadDer(absl::string_view der, D2i d2i,
                                             absl::string_view reason,
                                             absl::string_view what) {
  ERR_clear_error();
  if (der.size() > LONG_MAX) return Malformed(reason, what);
  const unsigned char* cursor = Bytes(der);
  OpenSslPtr<T, kFree> object(
      d2i(nullptr, &cursor, static_cast<long>(der.size())));
  if (object == nullptr) return Malformed(reason, what);
  if (cursor != Bytes(der) + der.size()) {
    return Malformed(reason, absl::StrCat(what, ": trailing bytes"));
  }
  return object;
}

// Runs `write` into a memory BIO and returns what it wrote.
template <typename Write>
absl::StatusOr<std::string> WriteToString(Write write, absl::string_view what) {
  ERR_clear_error();
  UniqueBio bio = WritableBio();
  if (bio == nullptr || write(bio.get()) != 1) {
    return OpenSslInternalError(what);
  }
  return BioContents(bio.get());
}

}  // namespace

absl::string_view KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEd25519:
      return "Ed25519";
    case KeyType::kEcdsaP256:
      return "EcdsaP256";
    case KeyType::kRsa2048:
      return "Rsa2048";
  }
  return "Unknown";
}

absl::StatusOr<PrivateKey> GenerateKey(KeyType type) {
  ERR_clear_error();
  EVP_PKEY* key = nullptr;
  switch (type) {
    case KeyType::kEd25519:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case KeyType::kEcdsaP256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case KeyType::kRsa2048:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
      break;
  }
  if (key == nullptr) return OpenSslInternalError("key generation");
  return PrivateKey(key);
}

absl::StatusOr<PrivateKey> ParsePrivateKeyPem(absl::string_view pem) {
  // One key only: past the last block OpenSSL's decoder reports "unsupported"
  // rather than a clean end, so keys cannot be read like certificates.
  ERR_clear_error();
  UniqueBio bio = ReadOnlyBio(pem);
  if (bio == nullptr) return OpenSslInternalError("BIO_new_mem_buf");
  PrivateKey key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, RefusePassword, nullptr));
  if (key == nullptr) return Malformed("PRIVATE_KEY_MALFORMED", "private key");
  return key;
}

absl::StatusOr<PrivateKey> ParsePrivateKeyDer(absl::string_view der) {
  return ReadDer<EVP_PKEY, EVP_PKEY_free>(
      der, d2i_AutoPrivateKey, "PRIVATE_KEY_MALFORMED", "private key");
}

absl::StatusOr<std::string> PrivateKeyToPem(const EVP_PKEY* key) {
  return WriteToString(
      [key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr,
                                        nullptr);
      },
      "PEM_write_bio_PrivateKey");
}

absl::StatusOr<std::string> PrivateKeyToDer(const EVP_PKEY* key) {
  return WriteToString(
      [key](BIO* bio) {
        return i2d_PKCS8PrivateKey_bio(bio, key, nullptr, nullptr, 0, nullptr,
                                       nullptr);
      },
      "i2d_PKCS8PrivateKey_bio");
}

absl::StatusOr<Certificate> ParseCertificatePem(absl::string_view pem) {
  auto certificates = ParseCertificatesPem(pem);
  if (!certificates.ok()) return certificates.status();
  if (certificates->size() != 1) {
    return Malformed("CERTIFICATE_MALFORMED",
                     absl::StrCat("certificate: expected one, found ",
                                  certificates->size()));
  }
  return std::move(certificates->front());
}

absl::StatusOr<std::vector<Certificate>> ParseCertificatesPem(
    absl::string_view pem) {
  return ReadAllPem<X509, X509_free>(pem, PEM_read_bio_X509,
                                     "CERTIFICATE_MALFORMED", "certificate");
}

absl::StatusOr<Certificate> ParseCertificateDer(absl::string_view der) {
  return ReadDer<X509, X509_free>(der, d2i_X509, "CERTIFICATE_MALFORMED",
                                  "certificate");
}

absl::StatusOr<std::string> CertificateToPem(const X509* certificate) {
  return WriteToString(
      [certificate](BIO* bio) { return PEM_write_bio_X509(bio, certificate); },
      "PEM_write_bio_X509");
}

absl::StatusOr<std::string> CertificateToDer(const X509* certificate) {
  return WriteToString(
      [certificate](BIO* bio) { return i2d_X509_bio(bio, certificate); },
      "i2d_X509_bio");
}

std::string CertificateSerialHex(const X509* certificate) {
  OpenSslPtr<BIGNUM, BN_free> serial(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr));
  if (serial == nullptr) return "";
  char* hex = BN_bn2hex(serial.get());
  if (hex == nullptr) return "";
  std::string result(hex);
  OPENSSL_free(hex);
  return result;
}

absl::StatusOr<std::vector<CertificateRevocationList>> ParseCrlsPem(
    absl::string_view pem) {
  return ReadAllPem<X509_CRL, X509_CRL_free>(pem, PEM_read_bio_X509_CRL,
                                             "CRL_MALFORMED", "CRL");
}

absl::StatusOr<std::string> CrlToPem(const X509_CRL* crl) {
  return WriteToString(
      [crl](BIO* bio) { return PEM_write_bio_X509_CRL(bio, crl); },
      "PEM_write_bio_X509_CRL");
}

std::string Sha256Hex(absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1) {
    // Only a broken OpenSSL installation fails here; there is no input error
    // to report, and a wrong fingerprint must never be returned.
    std::abort();
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), size));
}

}  // namespace lienthong::pki
