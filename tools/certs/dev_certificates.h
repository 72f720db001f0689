#ifndef TOOLS_CERTS_DEV_CERTIFICATES_H_
#define TOOLS_CERTS_DEV_CERTIFICATES_H_

// Creates, in a directory, what a demo or test installation needs: a
// provincial CA, the platform's server and receipt certificate, an operator's
// client certificate, one per agency and one per auditor. Files that exist are
// kept, so running it again only adds what is missing. Also revokes
// certificates: the CA's CRL (crl.pem), which running servers pick up.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lienthong::certs {

struct DevCertificateOptions {
  std::string directory;              // e.g. "var/certs"
  std::string province_agency;        // the platform's own agency code
  std::vector<std::string> agencies;  // one client certificate each
  std::vector<std::string> auditors;  // agency codes; role auditor each
  absl::Time now;
  absl::Duration validity = absl::Hours(24 * 365 * 2);
};

// Writes ca.pem/ca.key, platform.pem/platform.key (server for 127.0.0.1 and
// localhost; role system), operator.pem/operator.key (role operator),
// agencies/{code}.pem/.key (role system) and auditors/{code}.pem/.key (role
// auditor); returns the paths written.
absl::StatusOr<std::vector<std::string>> EnsureDevCertificates(
    const DevCertificateOptions& options);

struct RevokeOptions {
  std::string directory;  // where ca.pem, ca.key and crl.pem are
  // PEM files of certificates the CA issued, to add to the CRL; none just
  // renews the CRL (its nextUpdate) with the revocations it already lists.
  std::vector<std::string> certificates;
  absl::Time now;
  // Servers refuse every certificate once the CRL is past its nextUpdate, so
  // it has to be renewed (revoke again) within this.
  absl::Duration crl_validity = absl::Hours(24 * 30);
};

struct RevokeResult {
  std::string crl_path;
  std::vector<std::string> revoked_serials;  // of `certificates`, hex
  size_t listed = 0;                         // revocations the CRL lists
  absl::Time next_update;
};

// Adds `certificates` to the revocations of the CA in `directory` and writes a
// new crl.pem there, atomically (a temporary file renamed over it), keeping
// every revocation the current crl.pem lists and numbering it above it.
// NOT_FOUND when there is no CA; INVALID_ARGUMENT when a certificate is not
// the CA's (CERTIFICATE_NOT_ISSUED_BY_CA) or the current crl.pem does not parse
// or is not the CA's (then it is left as it is).
absl::StatusOr<RevokeResult> RevokeCertificates(const RevokeOptions& options);

}  // namespace lienthong::certs

#endif  // TOOLS_CERTS_DEV_CERTIFICATES_H_
