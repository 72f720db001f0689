#ifndef TOOLS_CERTS_DEV_CERTIFICATES_H_
#define TOOLS_CERTS_DEV_CERTIFICATES_H_

// Creates, in a directory, what a demo or test installation needs: a
// provincial CA, the platform's server and receipt certificate, an operator's
// client certificate and one per agency. Files that exist are kept, so running
// it again only adds what is missing.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace lienthong::certs {

struct DevCertificateOptions {
  std::string directory;              // e.g. "var/certs"
  std::string province_agency;        // the platform's own agency code
  std::vector<std::string> agencies;  // one client certificate each
  absl::Time now;
  absl::Duration validity = absl::Hours(24 * 365 * 2);
};

// Writes ca.pem/ca.key, platform.pem/platform.key (server for 127.0.0.1 and
// localhost; role system), operator.pem/operator.key (role operator) and
// agencies/{code}.pem/.key; returns the paths written.
absl::StatusOr<std::vector<std::string>> EnsureDevCertificates(
    const DevCertificateOptions& options);

}  // namespace lienthong::certs

#endif  // TOOLS_CERTS_DEV_CERTIFICATES_H_
