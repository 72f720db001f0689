#include "tools/certs/dev_certificates.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/file/read_file.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/key_material.h"

namespace lienthong::certs {
namespace {

namespace fs = std::filesystem;

// Private keys are readable by their owner only.
absl::Status WriteFile(const fs::path& path, const std::string& text,
                       bool secret) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out)
    return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  if (secret) chmod(path.c_str(), 0600);
  return absl::OkStatus();
}

absl::StatusOr<pki::CertificateAuthority> LoadOrCreateCa(
    const DevCertificateOptions& options, std::vector<std::string>& written) {
  const fs::path key = fs::path(options.directory) / "ca.key";
  const fs::path cert = fs::path(options.directory) / "ca.pem";
  if (fs::exists(key) && fs::exists(cert)) {
    absl::StatusOr<std::string> key_pem = ReadFile(key.string());
    if (!key_pem.ok()) return key_pem.status();
    absl::StatusOr<std::string> cert_pem = ReadFile(cert.string());
    if (!cert_pem.ok()) return cert_pem.status();
    return pki::CertificateAuthority::FromPem(*key_pem, *cert_pem);
  }
  absl::StatusOr<pki::CertificateAuthority> ca =
      pki::CertificateAuthority::Create(
          "lienthong provincial CA (development)", pki::KeyType::kEcdsaP256,
          options.now - absl::Hours(1), options.now + options.validity);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> key_pem = ca->KeyPem();
  if (!key_pem.ok()) return key_pem.status();
  absl::StatusOr<std::string> cert_pem = ca->CertificatePem();
  if (!cert_pem.ok()) return cert_pem.status();
  if (absl::Status status = WriteFile(key, *key_pem, true); !status.ok()) {
    return status;
  }
  if (absl::Status status = WriteFile(cert, *cert_pem, false); !status.ok()) {
    return status;
  }
  written.push_back(cert.string());
  written.push_back(key.string());
  return ca;
}

absl::Status EnsureLeaf(const pki::CertificateAuthority& ca,
                        const fs::path& stem, const pki::LeafSpec& spec,
                        std::vector<std::string>& written) {
  const fs::path cert = stem.string() + ".pem";
  const fs::path key = stem.string() + ".key";
  if (fs::exists(cert) && fs::exists(key)) return absl::OkStatus();
  absl::StatusOr<pki::IssuedCertificate> issued = ca.Issue(spec);
  if (!issued.ok()) return issued.status();
  absl::StatusOr<std::string> key_pem = pki::PrivateKeyToPem(issued->key.get());
  if (!key_pem.ok()) return key_pem.status();
  absl::StatusOr<std::string> cert_pem =
      pki::CertificateToPem(issued->certificate.get());
  if (!cert_pem.ok()) return cert_pem.status();
  if (absl::Status status = WriteFile(key, *key_pem, true); !status.ok()) {
    return status;
  }
  if (absl::Status status = WriteFile(cert, *cert_pem, false); !status.ok()) {
    return status;
  }
  written.push_back(cert.string());
  written.push_back(key.string());
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<std::string>> EnsureDevCertificates(
    const DevCertificateOptions& options) {
  std::error_code error;
  fs::create_directories(fs::path(options.directory) / "agencies", error);
  if (error) {
    return absl::InternalError(absl::StrCat("cannot create ", options.directory,
                                            ": ", error.message()));
  }
  std::vector<std::string> written;
  absl::StatusOr<pki::CertificateAuthority> ca =
      LoadOrCreateCa(options, written);
  if (!ca.ok()) return ca.status();
  pki::LeafSpec spec;
  spec.not_before = options.now - absl::Hours(1);
  spec.not_after = options.now + options.validity;
  spec.key_type = pki::KeyType::kEcdsaP256;

  pki::LeafSpec platform = spec;
  platform.common_name = "lienthong platform";
  platform.agency_code = options.province_agency;
  platform.role = "system";
  platform.server = true;
  platform.dns_names = {"localhost"};
  platform.ip_addresses = {"127.0.0.1"};
  if (absl::Status status = EnsureLeaf(
          *ca, fs::path(options.directory) / "platform", platform, written);
      !status.ok()) {
    return status;
  }
  pki::LeafSpec operator_spec = spec;
  operator_spec.common_name = "Quản trị hệ thống";
  operator_spec.agency_code = options.province_agency;
  operator_spec.role = "operator";
  if (absl::Status status =
          EnsureLeaf(*ca, fs::path(options.directory) / "operator",
                     operator_spec, written);
      !status.ok()) {
    return status;
  }
  for (const std::string& agency : options.agencies) {
    pki::LeafSpec leaf = spec;
    leaf.common_name = absl::StrCat("Văn thư ", agency);
    leaf.agency_code = agency;
    leaf.role = "system";
    if (absl::Status status =
            EnsureLeaf(*ca, fs::path(options.directory) / "agencies" / agency,
                       leaf, written);
        !status.ok()) {
      return status;
    }
  }
  return written;
}

}  // namespace lienthong::certs
