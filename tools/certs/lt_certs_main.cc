// lt-certs: creates the development PKI (CA, platform, operator and agency
// certificates) in a directory, keeping what exists. For demos and tests; a
// real installation uses the provincial CA's certificates.
//
//   lt-certs --dir=var/certs --province=000.00.00.H26 --agencies=A,B

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

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  lienthong::certs::DevCertificateOptions options;
  options.directory = absl::GetFlag(FLAGS_dir);
  options.province_agency = absl::GetFlag(FLAGS_province);
  options.agencies =
      absl::StrSplit(absl::GetFlag(FLAGS_agencies), ',', absl::SkipEmpty());
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
