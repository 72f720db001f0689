#ifndef LIBS_PKI_PKI_FILES_H_
#define LIBS_PKI_PKI_FILES_H_

// One party's PKI material as PEM text, read from files laid out as lt-certs
// writes them: ca.pem, crl.pem (optional), {name}.pem and {name}.key.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong::pki {

struct PkiFiles {
  std::string ca_pem;    // the provincial CA (trust anchor)
  std::string crl_pem;   // revocations; empty when there is no CRL file
  std::string cert_pem;  // this party's certificate
  std::string key_pem;   // its private key
  // Where the CRL is published, set even when no file is there yet: a server
  // watches it (see libs/server/trust_store.h), so a CRL written or replaced
  // later takes effect without a restart. Empty when no CRL was asked for.
  std::string crl_path;
};

// Reads the named files; the CRL only when `crl_path` names an existing file,
// though `crl_path` is kept either way. NOT_FOUND (FILE_UNREADABLE) names a
// missing file.
absl::StatusOr<PkiFiles> ReadPkiFiles(const std::string& ca_path,
                                      const std::string& cert_path,
                                      const std::string& key_path,
                                      const std::string& crl_path = "");

// ca.pem, crl.pem if present, {name}.pem and {name}.key from `dir`; crl_path
// is `dir`/crl.pem whether or not it exists.
absl::StatusOr<PkiFiles> LoadPkiFiles(absl::string_view dir,
                                      absl::string_view name);

}  // namespace lienthong::pki

#endif  // LIBS_PKI_PKI_FILES_H_
