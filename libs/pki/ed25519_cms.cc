#include "libs/pki/ed25519_cms.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include <string>

#include "libs/pki/openssl_support.h"

namespace lienthong::pki {
namespace {

using UniqueMdContext = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

absl::Status Invalid(absl::string_view message) {
  return OpenSslError(absl::StatusCode::kFailedPrecondition,
                      "SIGNATURE_INVALID", message);
}

// The DER of the signed attributes as a SET OF (universal tag 0x31, sorted):
// what RFC 5652 section 5.4 says the signature covers. Empty on failure.
std::string SignedAttributesDer(CMS_SignerInfo* signer_info) {
  int count = CMS_signed_get_attr_count(signer_info);
  if (count <= 0) return "";
  // Borrowed pointers: the stack is freed without its elements.
  STACK_OF(X509_ATTRIBUTE)* attributes = sk_X509_ATTRIBUTE_new_null();
  if (attributes == nullptr) return "";
  for (int i = 0; i < count; ++i) {
    sk_X509_ATTRIBUTE_push(attributes, CMS_signed_get_attr(signer_info, i));
  }
  unsigned char* der = nullptr;
  // PKCS7_ATTR_SIGN is the same DER-sorted SET OF Attribute that CMS signs.
  int size = ASN1_item_i2d(reinterpret_cast<const ASN1_VALUE*>(attributes),
                           &der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
  sk_X509_ATTRIBUTE_free(attributes);
  if (size <= 0 || der == nullptr) return "";
  std::string result(reinterpret_cast<const char*>(der),
                     static_cast<size_t>(size));
  OPENSSL_free(der);
  return result;
}

const unsigned char* Bytes(const std::string& data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

absl::Status SignEd25519SignerInfo(CMS_SignerInfo* signer_info, EVP_PKEY* key,
                                   absl::string_view content) {
  ERR_clear_error();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(content.data(), content.size(), digest, &digest_size,
                 EVP_sha512(), nullptr) != 1 ||
      CMS_signed_add1_attr_by_NID(signer_info, NID_pkcs9_contentType,
                                  V_ASN1_OBJECT, OBJ_nid2obj(NID_pkcs7_data),
                                  -1) != 1 ||
      CMS_signed_add1_attr_by_NID(signer_info, NID_pkcs9_messageDigest,
                                  V_ASN1_OCTET_STRING, digest,
                                  static_cast<int>(digest_size)) != 1) {
    return OpenSslInternalError("adding signed attributes");
  }
  std::string to_sign = SignedAttributesDer(signer_info);
  UniqueMdContext context(EVP_MD_CTX_new());
  size_t signature_size = 0;
  if (to_sign.empty() || context == nullptr ||
      EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &signature_size, Bytes(to_sign),
                     to_sign.size()) != 1) {
    return OpenSslInternalError("Ed25519 signing");
  }
  std::string signature(signature_size, '\0');
  X509_ALGOR* signature_algorithm = nullptr;
  CMS_SignerInfo_get0_algs(signer_info, nullptr, nullptr, nullptr,
                           &signature_algorithm);
  if (EVP_DigestSign(context.get(),
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &signature_size, Bytes(to_sign), to_sign.size()) != 1 ||
      signature_algorithm == nullptr ||
      X509_ALGOR_set0(signature_algorithm, OBJ_nid2obj(NID_ED25519),
                      V_ASN1_UNDEF, nullptr) != 1 ||
      ASN1_STRING_set(CMS_SignerInfo_get0_signature(signer_info),
                      signature.data(),
                      static_cast<int>(signature_size)) != 1) {
    return OpenSslInternalError("Ed25519 signing");
  }
  return absl::OkStatus();
}

absl::Status VerifyEd25519SignerInfo(CMS_SignerInfo* signer_info,
                                     EVP_PKEY* public_key) {
  ERR_clear_error();
  X509_ALGOR* digest_algorithm = nullptr;
  X509_ALGOR* signature_algorithm = nullptr;
  CMS_SignerInfo_get0_algs(signer_info, nullptr, nullptr, &digest_algorithm,
                           &signature_algorithm);
  const ASN1_OBJECT* digest_oid = nullptr;
  const ASN1_OBJECT* signature_oid = nullptr;
  if (digest_algorithm == nullptr || signature_algorithm == nullptr) {
    return Invalid("SignerInfo without algorithms");
  }
  X509_ALGOR_get0(&digest_oid, nullptr, nullptr, digest_algorithm);
  X509_ALGOR_get0(&signature_oid, nullptr, nullptr, signature_algorithm);
  if (OBJ_obj2nid(digest_oid) != NID_sha512 ||
      OBJ_obj2nid(signature_oid) != NID_ED25519) {
    return Invalid("an Ed25519 signer must use SHA-512 and id-Ed25519");
  }
  std::string signed_attributes = SignedAttributesDer(signer_info);
  if (signed_attributes.empty()) {
    return Invalid("an Ed25519 signer must sign attributes");
  }
  const ASN1_OCTET_STRING* signature =
      CMS_SignerInfo_get0_signature(signer_info);
  UniqueMdContext context(EVP_MD_CTX_new());
  if (context == nullptr ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr,
                           public_key) != 1) {
    return OpenSslInternalError("EVP_DigestVerifyInit");
  }
  if (EVP_DigestVerify(context.get(), ASN1_STRING_get0_data(signature),
                       static_cast<size_t>(ASN1_STRING_length(signature)),
                       Bytes(signed_attributes),
                       signed_attributes.size()) != 1) {
    return Invalid("Ed25519 signature over the signed attributes is wrong");
  }
  return absl::OkStatus();
}

}  // namespace lienthong::pki
