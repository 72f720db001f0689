#include "tools/certs/dev_certificates.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/file/read_file.h"
#include "libs/pki/certificate_authority.h"
#include "libs/pki/key_material.h"
#include "libs/pki/openssl_support.h"
#include "libs/status/status_details.h"

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

// Replaces `path` in one step: readers (a server watching the CRL) see the
// old file or the new one, never a partly written one.
absl::Status WriteFileAtomically(const fs::path& path,
                                 const std::string& text) {
  std::string name =
      (path.parent_path() / ("." + path.filename().string() + ".XXXXXX"))
          .string();
  int fd = mkstemp(name.data());
  if (fd < 0) {
    return absl::InternalError(
        absl::StrCat("cannot create ", name, ": ", std::strerror(errno)));
  }
  size_t done = 0;
  bool ok = fchmod(fd, 0644) == 0;
  while (ok && done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  // On disk before the rename, so a crash cannot leave an empty crl.pem.
  ok = ok && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  if (!ok || std::rename(name.c_str(), path.c_str()) != 0) {
    std::string error = std::strerror(errno);
    unlink(name.c_str());
    return absl::InternalError(
        absl::StrCat("cannot write ", path.string(), ": ", error));
  }
  return absl::OkStatus();
}

// Lists again in `ca` every revocation of the CRLs in `crl_pem`, which `ca`
// must have signed; returns the latest thisUpdate among them.
absl::StatusOr<absl::Time> CarryOverRevocations(pki::CertificateAuthority& ca,
                                                const std::string& crl_pem) {
  absl::StatusOr<std::vector<pki::CertificateRevocationList>> crls =
      pki::ParseCrlsPem(crl_pem);
  if (!crls.ok()) return crls.status();
  absl::Time last_update = absl::InfinitePast();
  for (const pki::CertificateRevocationList& crl : *crls) {
    if (X509_CRL_verify(crl.get(), X509_get0_pubkey(ca.certificate())) != 1) {
      ERR_clear_error();
      return WithErrorInfo(
          absl::InvalidArgumentError(
              "the existing crl.pem is not signed by this CA; move it away "
              "to start a new list"),
          "CRL_NOT_SIGNED_BY_CA");
    }
    last_update = std::max(
        last_update, pki::Asn1TimeToTime(X509_CRL_get0_lastUpdate(crl.get())));
    STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
      const X509_REVOKED* entry = sk_X509_REVOKED_value(entries, i);
      pki::OpenSslPtr<BIGNUM, BN_free> serial(
          ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(entry), nullptr));
      char* hex = serial == nullptr ? nullptr : BN_bn2hex(serial.get());
      if (hex == nullptr) return pki::OpenSslInternalError("BN_bn2hex");
      std::string serial_hex(hex);
      OPENSSL_free(hex);
      if (absl::Status status = ca.Revoke(
              serial_hex,
              pki::Asn1TimeToTime(X509_REVOKED_get0_revocationDate(entry)));
          !status.ok()) {
        return status;
      }
    }
  }
  return last_update;
}

absl::StatusOr<pki::CertificateAuthority> LoadCa(const fs::path& directory) {
  absl::StatusOr<std::string> key_pem =
      ReadFile((directory / "ca.key").string());
  if (!key_pem.ok()) return key_pem.status();
  absl::StatusOr<std::string> cert_pem =
      ReadFile((directory / "ca.pem").string());
  if (!cert_pem.ok()) return cert_pem.status();
  return pki::CertificateAuthority::FromPem(*key_pem, *cert_pem);
}

absl::StatusOr<pki::CertificateAuthority> LoadOrCreateCa(
    const DevCertificateOptions& options, std::vector<std::string>& written) {
  const fs::path key = fs::path(options.directory) / "ca.key";
  const fs::path cert = fs::path(options.directory) / "ca.pem";
  if (fs::exists(key) && fs::exists(cert)) {
    return LoadCa(options.directory);
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
  if (!options.auditors.empty()) {
    fs::create_directories(fs::path(options.directory) / "auditors", error);
    if (error) {
      return absl::InternalError(absl::StrCat(
          "cannot create ", options.directory, "/auditors: ", error.message()));
    }
  }
  for (const std::string& auditor : options.auditors) {
    pki::LeafSpec leaf = spec;
    leaf.common_name = absl::StrCat("Kiểm toán ", auditor);
    leaf.agency_code = auditor;
    leaf.role = "auditor";
    if (absl::Status status =
            EnsureLeaf(*ca, fs::path(options.directory) / "auditors" / auditor,
                       leaf, written);
        !status.ok()) {
      return status;
    }
  }
  return written;
}

absl::StatusOr<RevokeResult> RevokeCertificates(const RevokeOptions& options) {
  const fs::path directory(options.directory);
  absl::StatusOr<pki::CertificateAuthority> ca = LoadCa(directory);
  if (!ca.ok()) return ca.status();
  RevokeResult result;
  result.crl_path = (directory / "crl.pem").string();
  // Earlier revocations come from the current CRL itself: no second record
  // to keep in step with it.
  absl::Time last_update = absl::InfinitePast();
  if (fs::exists(result.crl_path)) {
    absl::StatusOr<std::string> crl_pem = ReadFile(result.crl_path);
    if (!crl_pem.ok()) return crl_pem.status();
    absl::StatusOr<absl::Time> carried = CarryOverRevocations(*ca, *crl_pem);
    if (!carried.ok()) return carried.status();
    last_update = *carried;
  }
  for (const std::string& path : options.certificates) {
    absl::StatusOr<std::string> pem = ReadFile(path);
    if (!pem.ok()) return pem.status();
    absl::StatusOr<pki::Certificate> certificate =
        pki::ParseCertificatePem(*pem);
    if (!certificate.ok()) return certificate.status();
    // Revoking by serial alone would accept any file; a certificate of
    // another CA is a mistake worth stopping at.
    if (X509_check_issued(ca->certificate(), certificate->get()) != X509_V_OK ||
        X509_verify(certificate->get(), X509_get0_pubkey(ca->certificate())) !=
            1) {
      ERR_clear_error();
      return WithErrorInfo(absl::InvalidArgumentError(absl::StrCat(
                               path, " was not issued by this CA")),
                           "CERTIFICATE_NOT_ISSUED_BY_CA", {{"path", path}});
    }
    std::string serial = pki::CertificateSerialHex(certificate->get());
    if (absl::Status status = ca->Revoke(serial, options.now); !status.ok()) {
      return status;
    }
    result.revoked_serials.push_back(std::move(serial));
  }
  // Backdated like the certificates, so a server whose clock is a little
  // behind does not see a CRL from the future (and refuse everyone). The CRL
  // number is thisUpdate in seconds: kept above the current one.
  const absl::Time this_update = std::max(
      absl::FromUnixSeconds(absl::ToUnixSeconds(options.now - absl::Hours(1))),
      last_update + absl::Seconds(1));
  absl::StatusOr<std::string> crl = ca->Crl(this_update, options.crl_validity);
  if (!crl.ok()) return crl.status();
  if (absl::Status status = WriteFileAtomically(result.crl_path, *crl);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::vector<pki::CertificateRevocationList>> written =
      pki::ParseCrlsPem(*crl);
  if (!written.ok()) return written.status();
  STACK_OF(X509_REVOKED)* entries =
      X509_CRL_get_REVOKED(written->front().get());
  result.listed = entries == nullptr ? 0 : sk_X509_REVOKED_num(entries);
  result.next_update = this_update + options.crl_validity;
  return result;
}

}  // namespace lienthong::certs
