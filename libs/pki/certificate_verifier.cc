#include "libs/pki/certificate_verifier.h"

#include <openssl/err.h>

#include "absl/strings/str_cat.h"
#include "libs/pki/key_material.h"
#include "libs/status/status_details.h"

namespace lienthong::pki {
namespace {

using UniqueStoreContext = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;

// The ErrorInfo reason for an X509_V_ERR_* verify error.
absl::string_view ReasonFor(int verify_error) {
  switch (verify_error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "CERTIFICATE_EXPIRED";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "CERTIFICATE_NOT_YET_VALID";
    case X509_V_ERR_CERT_REVOKED:
      return "CERTIFICATE_REVOKED";
    default:
      return "CERTIFICATE_UNTRUSTED";
  }
}

}  // namespace

absl::StatusOr<CertificateVerifier> CertificateVerifier::Create(
    const std::vector<std::string>& ca_pems,
    const std::vector<std::string>& crl_pems) {
  ERR_clear_error();
  UniqueStore store(X509_STORE_new());
  if (store == nullptr) return OpenSslInternalError("X509_STORE_new");
  if (ca_pems.empty()) {
    return WithErrorInfo(
        absl::InvalidArgumentError("a verifier needs at least one CA"),
        "NO_TRUSTED_CA");
  }
  for (const std::string& pem : ca_pems) {
    absl::StatusOr<std::vector<Certificate>> cas = ParseCertificatesPem(pem);
    if (!cas.ok()) return cas.status();
    for (const Certificate& ca : *cas) {
      if (X509_STORE_add_cert(store.get(), ca.get()) != 1) {
        return OpenSslInternalError("X509_STORE_add_cert");
      }
    }
  }
  for (const std::string& pem : crl_pems) {
    absl::StatusOr<std::vector<CertificateRevocationList>> crls =
        ParseCrlsPem(pem);
    if (!crls.ok()) return crls.status();
    for (const CertificateRevocationList& crl : *crls) {
      if (X509_STORE_add_crl(store.get(), crl.get()) != 1) {
        return OpenSslInternalError("X509_STORE_add_crl");
      }
    }
  }
  return CertificateVerifier(std::move(store), !crl_pems.empty());
}

absl::StatusOr<Identity> CertificateVerifier::Verify(
    absl::string_view certificate_der, absl::Time at) const {
  absl::StatusOr<Certificate> certificate =
      ParseCertificateDer(certificate_der);
  if (!certificate.ok()) return certificate.status();
  return Verify(certificate->get(), at);
}

absl::StatusOr<Identity> CertificateVerifier::Verify(X509* certificate,
                                                     absl::Time at) const {
  ERR_clear_error();
  UniqueStoreContext context(X509_STORE_CTX_new());
  if (context == nullptr || X509_STORE_CTX_init(context.get(), store_.get(),
                                                certificate, nullptr) != 1) {
    return OpenSslInternalError("X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(param, absl::ToTimeT(at));
  unsigned long flags = X509_V_FLAG_PARTIAL_CHAIN;
  if (check_crls_) flags |= X509_V_FLAG_CRL_CHECK;
  X509_VERIFY_PARAM_set_flags(param, flags);
  if (X509_verify_cert(context.get()) != 1) {
    int error = X509_STORE_CTX_get_error(context.get());
    if (error == X509_V_OK) return OpenSslInternalError("X509_verify_cert");
    ERR_clear_error();
    std::string error_text = X509_verify_cert_error_string(error);
    int depth = X509_STORE_CTX_get_error_depth(context.get());
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "certificate \"", SubjectString(certificate),
            "\" is not trusted: ", error_text, " (depth ", depth, ")")),
        ReasonFor(error),
        {{"verify_error", error_text},
         {"depth", absl::StrCat(depth)},
         {"serial", CertificateSerialHex(certificate)}});
  }
  return IdentityFromCertificate(certificate);
}

}  // namespace lienthong::pki
