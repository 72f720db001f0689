#ifndef TOOLS_LTCTL_TEST_DAEMON_H_
#define TOOLS_LTCTL_TEST_DAEMON_H_

// The real lienthongd, all services in one process, on a free loopback port
// with mutual TLS under a test CA, for ltctl's command tests: ltctl meets it
// as a commune or province system does, certificates and all. (The daemon
// library is not visible outside tests/, and DocumentService needs the PKI,
// so the binary runs as a child process.)

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "libs/pki/certificate_authority.h"

namespace lienthong::ltctl {

// A certificate and key written as PEM files, as ltctl's --cert and --key
// name them.
struct CertificateFiles {
  std::string cert;
  std::string key;
};

class TestDaemon {
 public:
  // Writes a CA and the platform's certificate under `dir` (emptied first)
  // and starts `binary` over `dir`/data; returns once it serves.
  static absl::StatusOr<std::unique_ptr<TestDaemon>> Start(
      const std::string& binary, const std::string& dir);
  // SIGTERM, then waits for the process.
  ~TestDaemon();

  // "127.0.0.1:{port}".
  std::string target() const { return target_; }
  // A certificate for `agency` in `role` ("system", "operator"), written to
  // `dir`/{agency}.{role}.pem and .key.
  absl::StatusOr<CertificateFiles> Issue(const std::string& agency,
                                         const std::string& role) const;
  // A channel to the daemon presenting `files`, as ltctl opens it.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(
      const CertificateFiles& files) const;

 private:
  TestDaemon(std::string dir, pki::CertificateAuthority ca)
      : dir_(std::move(dir)), ca_(std::move(ca)) {}

  std::string dir_;
  std::optional<pki::CertificateAuthority> ca_;
  pid_t pid_ = -1;
  std::string target_;
};

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_TEST_DAEMON_H_
