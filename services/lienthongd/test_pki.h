#ifndef SERVICES_LIENTHONGD_TEST_PKI_H_
#define SERVICES_LIENTHONGD_TEST_PKI_H_

// A provincial CA for daemon tests: writes the certs_dir a daemon serves mTLS
// with, and opens client channels as any agency and role.

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "libs/pki/certificate_authority.h"

namespace lienthong {

class TestPki {
 public:
  // Creates the CA and writes ca.pem and platform.pem/.key (naming 127.0.0.1)
  // into `certs_dir`, valid 2020 to 2040.
  static absl::StatusOr<TestPki> Create(const std::string& certs_dir);

  // A channel to `target` with a client certificate for `agency` in `role`
  // valid until `not_after`; an empty agency gives no client certificate.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(
      const std::string& target, const std::string& agency,
      const std::string& role,
      absl::Time not_after = absl::FromUnixSeconds(2208988800),
      const grpc::ChannelArguments& args = {}) const;
  // A certificate and key for `agency` in `role`, e.g. to sign documents.
  absl::StatusOr<pki::IssuedCertificate> Issue(const std::string& agency,
                                               const std::string& role) const;

 private:
  explicit TestPki(pki::CertificateAuthority ca) : ca_(std::move(ca)) {}
  std::optional<pki::CertificateAuthority> ca_;
};

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_TEST_PKI_H_
