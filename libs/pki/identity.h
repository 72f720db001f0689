#ifndef LIBS_PKI_IDENTITY_H_
#define LIBS_PKI_IDENTITY_H_

// Who a certificate speaks for. Platform-wide convention: an agency's X.509
// certificate carries its agency code and role as subjectAltName URIs
//
//   urn:lienthong:agency:{code}   code like "000.00.04.G14" or "H26.1.15"
//   urn:lienthong:role:{role}     role one of "system", "operator", "auditor"
//
// exactly one of each. The subject CN is a human-readable name in UTF-8, e.g.
// "UBND phường Hồng Hà"; it identifies nobody and is only displayed.

#include <openssl/x509.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong::pki {

// subjectAltName URI prefix naming the agency.
inline constexpr absl::string_view kAgencyUriPrefix = "urn:lienthong:agency:";
// subjectAltName URI prefix naming the role.
inline constexpr absl::string_view kRoleUriPrefix = "urn:lienthong:role:";

// Roles a certificate may carry.
inline constexpr absl::string_view kRoleSystem = "system";
inline constexpr absl::string_view kRoleOperator = "operator";
inline constexpr absl::string_view kRoleAuditor = "auditor";

// The agency, role and display subject a certificate speaks for.
struct Identity {
  std::string agency_code;
  std::string role;
  // The subject as an RFC 2253 string with UTF-8 left unescaped, e.g.
  // "CN=UBND phường Hồng Hà".
  std::string subject;

  friend bool operator==(const Identity& a, const Identity& b) {
    return a.agency_code == b.agency_code && a.role == b.role &&
           a.subject == b.subject;
  }
};

// True for "system", "operator" and "auditor".
bool IsKnownRole(absl::string_view role);

// True for a well-formed agency code: letters, digits and dots, e.g.
// "000.00.04.G14".
bool IsValidAgencyCode(absl::string_view code);

// The subject of `certificate` as an RFC 2253 string, UTF-8 unescaped.
std::string SubjectString(const X509* certificate);

// The identity `certificate` speaks for. PERMISSION_DENIED with reason
// CERTIFICATE_WITHOUT_AGENCY (no, several or a malformed agency URI) or
// CERTIFICATE_UNKNOWN_ROLE (no, several or an unknown role URI). The
// certificate's trust is not checked here; see CertificateVerifier.
absl::StatusOr<Identity> IdentityFromCertificate(const X509* certificate);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_IDENTITY_H_
