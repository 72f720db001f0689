#include "libs/pki/certificate_builder.h"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/pki/identity.h"

namespace lienthong::pki {
namespace {

using UniqueAsn1Time = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using UniqueBignum = OpenSslPtr<BIGNUM, BN_free>;
using UniqueExtension = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using UniqueGeneralName = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using UniqueGeneralNames = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;

absl::Status SpecError(absl::string_view message) {
  return OpenSslError(absl::StatusCode::kInvalidArgument,
                      "CERTIFICATE_SPEC_INVALID", message);
}

UniqueAsn1Time ToAsn1Time(absl::Time time) {
  return UniqueAsn1Time(ASN1_TIME_set(nullptr, absl::ToTimeT(time)));
}

// True when `text` may go into an IA5String name: printable ASCII, no spaces.
bool IsPrintableAscii(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return c > 0x20 && c < 0x7f;
  });
}

// Appends a URI, DNS or IP address name to `names`.
absl::Status AddName(GENERAL_NAMES* names, int type, absl::string_view value) {
  UniqueGeneralName name(GENERAL_NAME_new());
  if (name == nullptr) return OpenSslInternalError("GENERAL_NAME_new");
  if (type == GEN_IPADD) {
    ASN1_OCTET_STRING* ip = a2i_IPADDRESS(std::string(value).c_str());
    if (ip == nullptr) return SpecError(absl::StrCat("bad IP address ", value));
    GENERAL_NAME_set0_value(name.get(), type, ip);
  } else {
    if (!IsPrintableAscii(value)) {
      return SpecError(absl::StrCat("name is not printable ASCII: ", value));
    }
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (text == nullptr ||
        !ASN1_STRING_set(text, value.data(), static_cast<int>(value.size()))) {
      ASN1_IA5STRING_free(text);
      return OpenSslInternalError("ASN1_STRING_set");
    }
    GENERAL_NAME_set0_value(name.get(), type, text);
  }
  if (sk_GENERAL_NAME_push(names, name.get()) == 0) {
    return OpenSslInternalError("sk_GENERAL_NAME_push");
  }
  name.release();  // Now owned by `names`.
  return absl::OkStatus();
}

// Writes the identity URIs and, for servers, the DNS and IP names.
absl::Status AddSubjectAltNames(X509* certificate, const LeafSpec& spec) {
  UniqueGeneralNames names(GENERAL_NAMES_new());
  if (names == nullptr) return OpenSslInternalError("GENERAL_NAMES_new");
  std::vector<std::pair<int, std::string>> wanted;
  if (!spec.agency_code.empty()) {
    wanted.emplace_back(GEN_URI,
                        absl::StrCat(kAgencyUriPrefix, spec.agency_code));
  }
  if (!spec.role.empty()) {
    wanted.emplace_back(GEN_URI, absl::StrCat(kRoleUriPrefix, spec.role));
  }
  if (spec.server) {
    for (const auto& dns : spec.dns_names) wanted.emplace_back(GEN_DNS, dns);
    for (const auto& ip : spec.ip_addresses) wanted.emplace_back(GEN_IPADD, ip);
  }
  for (const auto& [type, value] : wanted) {
    if (absl::Status added = AddName(names.get(), type, value); !added.ok()) {
      return added;
    }
  }
  if (wanted.empty()) return absl::OkStatus();
  if (X509_add1_ext_i2d(certificate, NID_subject_alt_name, names.get(), 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return OpenSslInternalError("adding subjectAltName");
  }
  return absl::OkStatus();
}

// Adds the extensions given in OpenSSL config syntax, e.g. {NID, "hash"}.
absl::Status AddExtensions(
    X509* certificate, X509* issuer,
    const std::vector<std::pair<int, std::string>>& extensions) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  for (const auto& [nid, value] : extensions) {
    UniqueExtension extension(
        X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
    if (extension == nullptr ||
        X509_add_ext(certificate, extension.get(), -1) != 1) {
      return OpenSslInternalError(absl::StrCat("adding ", OBJ_nid2sn(nid)));
    }
  }
  return absl::OkStatus();
}

// A signed v3 certificate for `subject_key`; `issuer` null means self-signed.
absl::StatusOr<Certificate> BuildCertificate(X509* issuer, EVP_PKEY* issuer_key,
                                             EVP_PKEY* subject_key,
                                             absl::string_view common_name,
                                             absl::Time not_before,
                                             absl::Time not_after,
                                             const LeafSpec* leaf) {
  ERR_clear_error();
  if (common_name.empty()) return SpecError("empty common name");
  if (not_before >= not_after) return SpecError("not_before >= not_after");
  Certificate certificate(X509_new());
  unsigned char serial[16];
  if (certificate == nullptr || RAND_bytes(serial, sizeof(serial)) != 1) {
    return OpenSslInternalError("certificate serial");
  }
  serial[0] &= 0x7f;  // A positive INTEGER of at most 128 bits.
  UniqueBignum serial_number(BN_bin2bn(serial, sizeof(serial), nullptr));
  UniqueAsn1Time start = ToAsn1Time(not_before);
  UniqueAsn1Time end = ToAsn1Time(not_after);
  if (start == nullptr || end == nullptr) {
    return SpecError("validity outside what X.509 can express");
  }
  X509* cert = certificate.get();
  if (serial_number == nullptr || X509_set_version(cert, X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(serial_number.get(), X509_get_serialNumber(cert)) ==
          nullptr ||
      X509_set1_notBefore(cert, start.get()) != 1 ||
      X509_set1_notAfter(cert, end.get()) != 1 ||
      X509_set_pubkey(cert, subject_key) != 1) {
    return OpenSslInternalError("certificate fields");
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  if (X509_NAME_add_entry_by_NID(
          subject, NID_commonName, MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(common_name.data()),
          static_cast<int>(common_name.size()), -1, 0) != 1) {
    return SpecError("common name must be UTF-8 of at most 64 characters");
  }
  if (X509_set_issuer_name(
          cert, issuer == nullptr ? subject : X509_get_subject_name(issuer)) !=
      1) {
    return OpenSslInternalError("X509_set_issuer_name");
  }
  std::vector<std::pair<int, std::string>> extensions;
  if (leaf == nullptr) {
    extensions = {
        {NID_basic_constraints, "critical,CA:TRUE"},
        {NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign"}};
  } else {
    extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                  {NID_key_usage, "critical,digitalSignature"}};
    std::vector<std::string> purposes;
    if (leaf->server) purposes.push_back("serverAuth");
    if (leaf->client) purposes.push_back("clientAuth");
    if (!purposes.empty()) {
      extensions.emplace_back(NID_ext_key_usage, absl::StrJoin(purposes, ","));
    }
  }
  // The subject key identifier must exist before a self-signed certificate
  // can name it as its authority key identifier.
  extensions.emplace_back(NID_subject_key_identifier, "hash");
  extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
  if (absl::Status added =
          AddExtensions(cert, issuer == nullptr ? cert : issuer, extensions);
      !added.ok()) {
    return added;
  }
  if (leaf != nullptr) {
    if (absl::Status added = AddSubjectAltNames(cert, *leaf); !added.ok()) {
      return added;
    }
  }
  if (X509_sign(cert, issuer_key, SigningDigest(issuer_key)) <= 0) {
    return OpenSslInternalError("X509_sign");
  }
  return certificate;
}

}  // namespace

const EVP_MD* SigningDigest(const EVP_PKEY* key) {
  return EVP_PKEY_get_id(key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
}

absl::StatusOr<Certificate> BuildRootCertificate(EVP_PKEY* key,
                                                 absl::string_view common_name,
                                                 absl::Time not_before,
                                                 absl::Time not_after) {
  return BuildCertificate(nullptr, key, key, common_name, not_before, not_after,
                          nullptr);
}

absl::StatusOr<Certificate> BuildLeafCertificate(X509* issuer,
                                                 EVP_PKEY* issuer_key,
                                                 EVP_PKEY* subject_key,
                                                 const LeafSpec& spec) {
  return BuildCertificate(issuer, issuer_key, subject_key, spec.common_name,
                          spec.not_before, spec.not_after, &spec);
}

}  // namespace lienthong::pki
