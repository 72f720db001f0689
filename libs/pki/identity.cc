#include "libs/pki/identity.h"

#include <openssl/x509v3.h>

#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/pki/openssl_support.h"
#include "libs/status/status_details.h"

namespace lienthong::pki {
namespace {

using UniqueGeneralNames = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;

// The values of the subjectAltName URIs of `certificate` that start with
// `prefix`, prefix removed.
std::vector<std::string> UrisWithPrefix(const GENERAL_NAMES* names,
                                        absl::string_view prefix) {
  std::vector<std::string> values;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    absl::string_view text(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
        static_cast<size_t>(ASN1_STRING_length(uri)));
    if (absl::StartsWith(text, prefix)) {
      values.emplace_back(text.substr(prefix.size()));
    }
  }
  return values;
}

absl::Status Refused(absl::string_view reason, absl::string_view message,
                     const std::string& subject) {
  return WithErrorInfo(absl::PermissionDeniedError(message), reason,
                       {{"subject", subject}});
}

}  // namespace

bool IsKnownRole(absl::string_view role) {
  return role == kRoleSystem || role == kRoleOperator || role == kRoleAuditor;
}

bool IsValidAgencyCode(absl::string_view code) {
  if (code.empty() || code.front() == '.' || code.back() == '.') return false;
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.') {
      return false;
    }
  }
  return true;
}

std::string SubjectString(const X509* certificate) {
  UniqueBio bio = WritableBio();
  if (bio == nullptr ||
      X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                         XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return "";
  }
  return BioContents(bio.get());
}

absl::StatusOr<Identity> IdentityFromCertificate(const X509* certificate) {
  Identity identity;
  identity.subject = SubjectString(certificate);
  UniqueGeneralNames names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr)));
  std::vector<std::string> agencies =
      UrisWithPrefix(names.get(), kAgencyUriPrefix);
  if (agencies.size() != 1) {
    return Refused(
        "CERTIFICATE_WITHOUT_AGENCY",
        absl::StrCat("certificate must name exactly one agency as ",
                     kAgencyUriPrefix, "{code}, found ", agencies.size()),
        identity.subject);
  }
  if (!IsValidAgencyCode(agencies.front())) {
    return Refused("CERTIFICATE_WITHOUT_AGENCY",
                   absl::StrCat("certificate agency code is malformed: \"",
                                absl::CHexEscape(agencies.front()), "\""),
                   identity.subject);
  }
  std::vector<std::string> roles = UrisWithPrefix(names.get(), kRoleUriPrefix);
  if (roles.size() != 1 || !IsKnownRole(roles.front())) {
    return Refused(
        "CERTIFICATE_UNKNOWN_ROLE",
        absl::StrCat("certificate must name exactly one role of system, "
                     "operator, auditor as ",
                     kRoleUriPrefix, "{role}, found [",
                     absl::CHexEscape(absl::StrJoin(roles, ", ")), "]"),
        identity.subject);
  }
  identity.agency_code = std::move(agencies.front());
  identity.role = std::move(roles.front());
  return identity;
}

}  // namespace lienthong::pki
