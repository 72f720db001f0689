#ifndef LIBS_PKI_ED25519_CMS_H_
#define LIBS_PKI_ED25519_CMS_H_

// Ed25519 in CMS SignerInfos as RFC 8419 specifies: signed attributes with a
// SHA-512 messageDigest, signed with PureEdDSA over their DER encoding, and
// signatureAlgorithm id-Ed25519. OpenSSL 3.0's CMS code cannot do this itself
// (it asks the key for a pre-hash digest and fails with "no default digest" or
// "invalid digest"), so cms_signature uses these for Ed25519 signers.

#include <openssl/cms.h>
#include <openssl/evp.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace lienthong::pki {

// Completes `signer_info`, added by CMS_add1_signer with CMS_PARTIAL and
// SHA-512: adds the contentType and messageDigest attributes for `content` and
// the Ed25519 signature by `key` over the signed attributes.
absl::Status SignEd25519SignerInfo(CMS_SignerInfo* signer_info, EVP_PKEY* key,
                                   absl::string_view content);

// Checks that `signer_info` is an RFC 8419 Ed25519 SignerInfo whose signature
// over its signed attributes verifies with `public_key`; FAILED_PRECONDITION
// with reason SIGNATURE_INVALID otherwise. The messageDigest attribute is left
// to CMS_verify (run with CMS_NO_ATTR_VERIFY).
absl::Status VerifyEd25519SignerInfo(CMS_SignerInfo* signer_info,
                                     EVP_PKEY* public_key);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_ED25519_CMS_H_
