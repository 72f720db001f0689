#include "libs/pki/certificate_authority.h"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/status_details.h"

namespace lienthong::pki {
namespace {

using UniqueAsn1Integer = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using UniqueAsn1Time = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using UniqueBignum = OpenSslPtr<BIGNUM, BN_free>;
using UniqueExtension = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using UniqueRevoked = OpenSslPtr<X509_REVOKED, X509_REVOKED_free>;

UniqueAsn1Time ToAsn1Time(absl::Time time) {
  return UniqueAsn1Time(ASN1_TIME_set(nullptr, absl::ToTimeT(time)));
}

// The serial in hex as an ASN1_INTEGER; null when `hex` is not hex.
UniqueAsn1Integer SerialFromHex(const std::string& hex) {
  BIGNUM* parsed = nullptr;
  if (hex.empty() ||
      BN_hex2bn(&parsed, hex.c_str()) != static_cast<int>(hex.size())) {
    BN_free(parsed);
    return nullptr;
  }
  UniqueBignum serial(parsed);
  return UniqueAsn1Integer(BN_to_ASN1_INTEGER(serial.get(), nullptr));
}

// Adds one revoked entry to `crl`.
bool AddRevoked(X509_CRL* crl, const std::string& serial_hex,
                absl::Time revoked_at) {
  UniqueRevoked revoked(X509_REVOKED_new());
  UniqueAsn1Integer serial = SerialFromHex(serial_hex);
  UniqueAsn1Time date = ToAsn1Time(revoked_at);
  if (revoked == nullptr || serial == nullptr || date == nullptr ||
      X509_REVOKED_set_serialNumber(revoked.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), date.get()) != 1 ||
      X509_CRL_add0_revoked(crl, revoked.get()) != 1) {
    return false;
  }
  revoked.release();  // Now owned by `crl`.
  return true;
}

}  // namespace

absl::StatusOr<CertificateAuthority> CertificateAuthority::Create(
    absl::string_view common_name, KeyType key_type, absl::Time not_before,
    absl::Time not_after) {
  absl::StatusOr<PrivateKey> key = GenerateKey(key_type);
  if (!key.ok()) return key.status();
  absl::StatusOr<Certificate> certificate =
      BuildRootCertificate(key->get(), common_name, not_before, not_after);
  if (!certificate.ok()) return certificate.status();
  return CertificateAuthority(*std::move(key), *std::move(certificate));
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::FromPem(
    absl::string_view key_pem, absl::string_view cert_pem) {
  absl::StatusOr<PrivateKey> key = ParsePrivateKeyPem(key_pem);
  if (!key.ok()) return key.status();
  absl::StatusOr<Certificate> certificate = ParseCertificatePem(cert_pem);
  if (!certificate.ok()) return certificate.status();
  if (X509_check_private_key(certificate->get(), key->get()) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "SIGNING_KEY_MISMATCH",
                        "the CA key is not the CA certificate's");
  }
  return CertificateAuthority(*std::move(key), *std::move(certificate));
}

absl::StatusOr<IssuedCertificate> CertificateAuthority::Issue(
    const LeafSpec& spec) const {
  absl::StatusOr<PrivateKey> key = GenerateKey(spec.key_type);
  if (!key.ok()) return key.status();
  absl::StatusOr<Certificate> certificate =
      BuildLeafCertificate(certificate_.get(), key_.get(), key->get(), spec);
  if (!certificate.ok()) return certificate.status();
  return IssuedCertificate{*std::move(key), *std::move(certificate)};
}

absl::Status CertificateAuthority::Revoke(absl::string_view serial_hex,
                                          absl::Time revoked_at) {
  ERR_clear_error();
  UniqueAsn1Integer serial = SerialFromHex(std::string(serial_hex));
  UniqueBignum number(
      serial == nullptr ? nullptr : ASN1_INTEGER_to_BN(serial.get(), nullptr));
  if (number == nullptr) {
    ERR_clear_error();
    return WithErrorInfo(
        absl::InvalidArgumentError(absl::StrCat("bad serial ", serial_hex)),
        "SERIAL_MALFORMED", {{"serial", std::string(serial_hex)}});
  }
  // Kept in BN_bn2hex's form so repeated revocations are recognised.
  char* normalized = BN_bn2hex(number.get());
  if (normalized == nullptr) return OpenSslInternalError("BN_bn2hex");
  std::string key(normalized);
  OPENSSL_free(normalized);
  bool known =
      std::any_of(revoked_.begin(), revoked_.end(),
                  [&](const auto& entry) { return entry.first == key; });
  if (!known) revoked_.emplace_back(std::move(key), revoked_at);
  return absl::OkStatus();
}

absl::StatusOr<std::string> CertificateAuthority::Crl(absl::Time this_update,
                                                      absl::Duration validity) {
  ERR_clear_error();
  CertificateRevocationList crl(X509_CRL_new());
  UniqueAsn1Time last_update = ToAsn1Time(this_update);
  UniqueAsn1Time next_update = ToAsn1Time(this_update + validity);
  if (crl == nullptr || last_update == nullptr || next_update == nullptr ||
      X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(
          crl.get(), X509_get_subject_name(certificate_.get())) != 1 ||
      X509_CRL_set1_lastUpdate(crl.get(), last_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
    return OpenSslInternalError("CRL fields");
  }
  for (const auto& [serial_hex, revoked_at] : revoked_) {
    if (!AddRevoked(crl.get(), serial_hex, revoked_at)) {
      return OpenSslInternalError("adding a revoked entry");
    }
  }
  X509_CRL_sort(crl.get());
  // Numbered by issue time, so later CRLs carry larger numbers.
  UniqueAsn1Integer number(ASN1_INTEGER_new());
  X509V3_CTX context;
  X509V3_set_ctx(&context, certificate_.get(), nullptr, nullptr, crl.get(), 0);
  UniqueExtension authority_key_id(X509V3_EXT_conf_nid(
      nullptr, &context, NID_authority_key_identifier, "keyid:always"));
  if (number == nullptr || authority_key_id == nullptr ||
      ASN1_INTEGER_set_int64(
          number.get(),
          std::max<int64_t>(0, absl::ToUnixSeconds(this_update))) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) !=
          1 ||
      X509_CRL_add_ext(crl.get(), authority_key_id.get(), -1) != 1) {
    return OpenSslInternalError("CRL extensions");
  }
  if (X509_CRL_sign(crl.get(), key_.get(), SigningDigest(key_.get())) <= 0) {
    return OpenSslInternalError("X509_CRL_sign");
  }
  return CrlToPem(crl.get());
}

}  // namespace lienthong::pki
