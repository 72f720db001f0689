#include "services/lienthongd/test_pki.h"

#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/pki/key_material.h"
#include "libs/server/mtls.h"

namespace lienthong {
namespace {

absl::Time Utc(int year) {
  return absl::FromCivil(absl::CivilDay(year, 1, 1), absl::UTCTimeZone());
}

pki::LeafSpec Leaf(const std::string& agency, const std::string& role) {
  pki::LeafSpec spec;
  spec.common_name = agency;
  spec.agency_code = agency;
  spec.role = role;
  spec.not_before = Utc(2020);
  spec.not_after = Utc(2040);
  return spec;
}

absl::Status Write(const std::string& path,
                   const absl::StatusOr<std::string>& text) {
  if (!text.ok()) return text.status();
  std::ofstream out(path);
  out << *text;
  return out ? absl::OkStatus()
             : absl::InternalError(absl::StrCat("cannot write ", path));
}

}  // namespace

absl::StatusOr<TestPki> TestPki::Create(const std::string& certs_dir) {
  absl::StatusOr<pki::CertificateAuthority> ca =
      pki::CertificateAuthority::Create("Test CA", pki::KeyType::kEcdsaP256,
                                        Utc(2020), Utc(2040));
  if (!ca.ok()) return ca.status();
  pki::LeafSpec platform = Leaf("PLATFORM", "system");
  platform.server = true;
  platform.dns_names = {"localhost"};
  platform.ip_addresses = {"127.0.0.1"};
  absl::StatusOr<pki::IssuedCertificate> issued = ca->Issue(platform);
  if (!issued.ok()) return issued.status();
  for (absl::Status written :
       {Write(certs_dir + "/ca.pem", ca->CertificatePem()),
        Write(certs_dir + "/platform.pem",
              pki::CertificateToPem(issued->certificate.get())),
        Write(certs_dir + "/platform.key",
              pki::PrivateKeyToPem(issued->key.get()))}) {
    if (!written.ok()) return written;
  }
  return TestPki(*std::move(ca));
}

absl::StatusOr<pki::IssuedCertificate> TestPki::Issue(
    const std::string& agency, const std::string& role) const {
  return ca_->Issue(Leaf(agency, role));
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> TestPki::Channel(
    const std::string& target, const std::string& agency,
    const std::string& role, absl::Time not_after,
    const grpc::ChannelArguments& args) const {
  absl::StatusOr<std::string> ca_pem = ca_->CertificatePem();
  if (!ca_pem.ok()) return ca_pem.status();
  if (agency.empty()) {
    grpc::SslCredentialsOptions anonymous;
    anonymous.pem_root_certs = *ca_pem;
    return grpc::CreateCustomChannel(target, grpc::SslCredentials(anonymous),
                                     args);
  }
  pki::LeafSpec spec = Leaf(agency, role);
  spec.not_after = not_after;
  absl::StatusOr<pki::IssuedCertificate> leaf = ca_->Issue(spec);
  if (!leaf.ok()) return leaf.status();
  MtlsFiles files;
  files.ca_pem = *ca_pem;
  absl::StatusOr<std::string> cert =
      pki::CertificateToPem(leaf->certificate.get());
  absl::StatusOr<std::string> key = pki::PrivateKeyToPem(leaf->key.get());
  if (!cert.ok()) return cert.status();
  if (!key.ok()) return key.status();
  files.cert_pem = *cert;
  files.key_pem = *key;
  return grpc::CreateCustomChannel(target, MtlsChannelCredentials(files), args);
}

}  // namespace lienthong
