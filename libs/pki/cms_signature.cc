#include "libs/pki/cms_signature.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include <climits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/pki/ed25519_cms.h"
#include "libs/pki/key_material.h"
#include "libs/pki/openssl_support.h"
#include "libs/status/status_details.h"

namespace lienthong::pki {
namespace {

using UniqueCms = OpenSslPtr<CMS_ContentInfo, CMS_ContentInfo_free>;

absl::Status Malformed(absl::string_view message) {
  return OpenSslError(absl::StatusCode::kInvalidArgument, "SIGNATURE_MALFORMED",
                      message);
}

absl::Status BadSigningInput(absl::string_view reason,
                             absl::string_view message) {
  ERR_clear_error();
  return WithErrorInfo(absl::InvalidArgumentError(message), reason);
}

// Asks for RSA-PSS with a digest-long salt on a signer added with
// CMS_KEY_PARAM.
bool UsePss(CMS_SignerInfo* signer_info) {
  EVP_PKEY_CTX* context = CMS_SignerInfo_get0_pkey_ctx(signer_info);
  return context != nullptr &&
         EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) > 0 &&
         EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) > 0;
}

// The SignedData in `der`, refusing trailing bytes.
absl::StatusOr<UniqueCms> ParseSignedData(absl::string_view der) {
  const unsigned char* cursor =
      reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* end = cursor + der.size();
  UniqueCms cms(der.size() > LONG_MAX
                    ? nullptr
                    : d2i_CMS_ContentInfo(nullptr, &cursor,
                                          static_cast<long>(der.size())));
  if (cms == nullptr || cursor != end) {
    return Malformed("signature is not a DER CMS structure");
  }
  if (OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed) {
    return Malformed("signature is not CMS SignedData");
  }
  if (CMS_is_detached(cms.get()) != 1) {
    return Malformed("signature embeds its content; a detached one is needed");
  }
  return cms;
}

absl::StatusOr<VerifiedSignature> Verify(absl::string_view signature_der,
                                         absl::string_view content,
                                         const std::string* expected_signer,
                                         const CertificateVerifier& verifier,
                                         absl::Time at) {
  ERR_clear_error();
  absl::StatusOr<UniqueCms> cms = ParseSignedData(signature_der);
  if (!cms.ok()) return cms.status();
  STACK_OF(CMS_SignerInfo)* signer_infos = CMS_get0_SignerInfos(cms->get());
  int signers =
      signer_infos == nullptr ? 0 : sk_CMS_SignerInfo_num(signer_infos);
  if (signers != 1) {
    return Malformed(absl::StrCat("expected one signer, found ", signers));
  }
  CMS_SignerInfo* signer_info = sk_CMS_SignerInfo_value(signer_infos, 0);
  // Finds the signer's certificate among those the signature carries.
  CMS_set1_signers_certs(cms->get(), nullptr, 0);
  EVP_PKEY* public_key = nullptr;
  X509* signer = nullptr;
  CMS_SignerInfo_get0_algs(signer_info, &public_key, &signer, nullptr, nullptr);
  if (signer == nullptr || public_key == nullptr) {
    return Malformed("signature does not include the signer's certificate");
  }
  ERR_clear_error();
  bool ed25519 = EVP_PKEY_get_id(public_key) == EVP_PKEY_ED25519;
  unsigned int flags = CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY;
  // OpenSSL checks the content digest; the Ed25519 signature is ours to check.
  if (ed25519) flags |= CMS_NO_ATTR_VERIFY;
  // The content reaches CMS_verify behind a null filter: given a memory BIO,
  // OpenSSL 3.0 copies it into a BIO of its own and leaks that copy when the
  // signature names no usable digest (openssl/openssl#30471), which a client
  // could repeat until memory runs out. Through a filter it is read in place.
  UniqueBio content_bio(BIO_new(BIO_f_null()));
  UniqueBio content_data = ReadOnlyBio(content);
  if (content_bio == nullptr || content_data == nullptr) {
    return OpenSslInternalError("BIO_new");
  }
  BIO_push(content_bio.get(), content_data.release());
  if (CMS_verify(cms->get(), nullptr, nullptr, content_bio.get(), nullptr,
                 flags) != 1) {
    return OpenSslError(absl::StatusCode::kFailedPrecondition,
                        "SIGNATURE_INVALID",
                        "signature does not match the content");
  }
  if (ed25519) {
    if (absl::Status valid = VerifyEd25519SignerInfo(signer_info, public_key);
        !valid.ok()) {
      return valid;
    }
  }
  absl::StatusOr<std::string> signer_der = CertificateToDer(signer);
  if (!signer_der.ok()) return signer_der.status();
  if (expected_signer != nullptr && *expected_signer != *signer_der) {
    return WithErrorInfo(absl::FailedPreconditionError(absl::StrCat(
                             "signed by \"", SubjectString(signer),
                             "\", not by the expected certificate")),
                         "SIGNER_CERTIFICATE_MISMATCH",
                         {{"signer_sha256", Sha256Hex(*signer_der)},
                          {"expected_sha256", Sha256Hex(*expected_signer)}});
  }
  absl::StatusOr<Identity> identity = verifier.Verify(signer, at);
  if (!identity.ok()) return identity.status();
  return VerifiedSignature{*std::move(identity), *std::move(signer_der)};
}

}  // namespace

absl::StatusOr<std::string> SignDetached(absl::string_view content,
                                         EVP_PKEY* key, X509* certificate,
                                         const SignatureOptions& options) {
  ERR_clear_error();
  int key_id = EVP_PKEY_get_id(key);
  if (options.rsa_pss && key_id != EVP_PKEY_RSA) {
    return BadSigningInput("SIGNATURE_OPTIONS_INVALID",
                           "RSA-PSS needs an RSA key");
  }
  if (X509_check_private_key(certificate, key) != 1) {
    return BadSigningInput("SIGNING_KEY_MISMATCH",
                           "the key does not belong to the certificate");
  }
  bool ed25519 = key_id == EVP_PKEY_ED25519;
  unsigned int flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  if (options.rsa_pss) flags |= CMS_KEY_PARAM;
  UniqueCms cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  if (cms == nullptr) return OpenSslInternalError("CMS_sign");
  CMS_SignerInfo* signer_info =
      CMS_add1_signer(cms.get(), certificate, key,
                      ed25519 ? EVP_sha512() : EVP_sha256(), flags);
  if (signer_info == nullptr) return OpenSslInternalError("CMS_add1_signer");
  if (options.rsa_pss && !UsePss(signer_info)) {
    return OpenSslInternalError("setting RSA-PSS");
  }
  if (ed25519) {
    if (absl::Status signed_info =
            SignEd25519SignerInfo(signer_info, key, content);
        !signed_info.ok()) {
      return signed_info;
    }
  } else {
    UniqueBio content_bio = ReadOnlyBio(content);
    if (content_bio == nullptr ||
        CMS_final(cms.get(), content_bio.get(), nullptr, flags) != 1) {
      return OpenSslInternalError("CMS_final");
    }
  }
  UniqueBio out = WritableBio();
  if (out == nullptr || i2d_CMS_bio(out.get(), cms.get()) != 1) {
    return OpenSslInternalError("i2d_CMS_bio");
  }
  return BioContents(out.get());
}

absl::StatusOr<VerifiedSignature> VerifyDetached(
    absl::string_view signature_der, absl::string_view content,
    const CertificateVerifier& verifier, absl::Time at) {
  return Verify(signature_der, content, nullptr, verifier, at);
}

absl::StatusOr<VerifiedSignature> VerifyDetached(
    absl::string_view signature_der, absl::string_view content,
    absl::string_view expected_signer_der, const CertificateVerifier& verifier,
    absl::Time at) {
  std::string expected(expected_signer_der);
  return Verify(signature_der, content, &expected, verifier, at);
}

}  // namespace lienthong::pki
