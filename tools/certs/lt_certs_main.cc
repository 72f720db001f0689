// lt-certs: creates the development PKI (CA, platform, operator, agency and
// auditor certificates) in a directory, keeping what exists, and revokes
// certificates of that CA. For demos and tests; a real installation uses the
// provincial CA's certificates and CRL.
//
//   lt-certs --dir=var/certs --province=000.00.00.H26 --agencies=A,B
//   lt-certs --dir=var/certs --auditors=000.00.00.H26
//   lt-certs revoke --dir=var/certs var/certs/agencies/A.pem
//
// `revoke` adds the certificates to crl.pem (replaced atomically, earlier
// revocations kept); running servers take it within 10 s. Without a
// certificate it renews the CRL, which servers need before its nextUpdate.

#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tools/certs/dev_certificates.h"

ABSL_FLAG(std::string, dir, "var/certs", "directory to write into");
ABSL_FLAG(std::string, province, "000.00.00.H26",
          "agency code of the platform and operator certificates");
ABSL_FLAG(std::string, agencies, "",
          "comma-separated agency codes to issue client certificates for");
ABSL_FLAG(std::string, auditors, "",
          "comma-separated agency codes to issue auditor certificates for "
          "(auditors/{code}.pem)");
ABSL_FLAG(int, crl_days, 30,
          "revoke: days the new CRL is valid; renew it before then");

namespace {

int Revoke(const std::vector<char*>& args) {
  lienthong::certs::RevokeOptions options;
  options.directory = absl::GetFlag(FLAGS_dir);
  options.certificates.assign(args.begin() + 2, args.end());
  options.now = absl::Now();
  options.crl_validity = absl::Hours(24) * absl::GetFlag(FLAGS_crl_days);
  absl::StatusOr<lienthong::certs::RevokeResult> result =
      lienthong::certs::RevokeCertificates(options);
  if (!result.ok()) {
    std::cerr << "lt-certs revoke: " << result.status() << "\n";
    return 1;
  }
  for (size_t i = 0; i < result->revoked_serials.size(); ++i) {
    std::cout << "revoked " << result->revoked_serials[i] << " ("
              << options.certificates[i] << ")\n";
  }
  std::cout << "wrote " << result->crl_path << ": " << result->listed
            << " revoked, next update "
            << absl::FormatTime(absl::RFC3339_sec, result->next_update,
                                absl::UTCTimeZone())
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() > 1) {
    if (std::string(args[1]) == "revoke") return Revoke(args);
    std::cerr << "lt-certs: unknown command " << args[1]
              << " (only \"revoke\")\n";
    return 2;
  }
  lienthong::certs::DevCertificateOptions options;
  options.directory = absl::GetFlag(FLAGS_dir);
  options.province_agency = absl::GetFlag(FLAGS_province);
  options.agencies =
      absl::StrSplit(absl::GetFlag(FLAGS_agencies), ',', absl::SkipEmpty());
  options.auditors =
      absl::StrSplit(absl::GetFlag(FLAGS_auditors), ',', absl::SkipEmpty());
  options.now = absl::Now();
  absl::StatusOr<std::vector<std::string>> written =
      lienthong::certs::EnsureDevCertificates(options);
  if (!written.ok()) {
    std::cerr << "lt-certs: " << written.status() << "\n";
    return 1;
  }
  for (const std::string& path : *written)
    std::cout << "wrote " << path << "\n";
  std::cout << "certificates in " << options.directory << "\n";
  return 0;
}
