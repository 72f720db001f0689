#include "tools/ltctl/test_daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "libs/pki/key_material.h"
#include "libs/server/mtls.h"

namespace lienthong::ltctl {
namespace {

absl::Time Utc(int year) {
  return absl::FromCivil(absl::CivilDay(year, 1, 1), absl::UTCTimeZone());
}

absl::Status Write(const std::string& path,
                   const absl::StatusOr<std::string>& text) {
  if (!text.ok()) return text.status();
  std::ofstream out(path, std::ios::trunc);
  out << *text;
  out.close();
  return out ? absl::OkStatus()
             : absl::InternalError(absl::StrCat("cannot write ", path));
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

// The port the daemon writes into the pipe once it serves; 0 when the pipe
// ends first (the daemon exited) or nothing comes within a minute.
int ReadPort(int fd) {
  std::string line;
  const absl::Time deadline = absl::Now() + absl::Minutes(1);
  while (true) {
    pollfd readable = {fd, POLLIN, 0};
    int ready =
        poll(&readable, 1,
             static_cast<int>(std::max<int64_t>(
                 0, absl::ToInt64Milliseconds(deadline - absl::Now()))));
    if (ready < 0 && errno == EINTR) continue;
    if (ready != 1) return 0;
    char c;
    ssize_t got = read(fd, &c, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got != 1 || c == '\n') break;
    line.push_back(c);
  }
  int port = 0;
  return absl::SimpleAtoi(line, &port) ? port : 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TestDaemon>> TestDaemon::Start(
    const std::string& binary, const std::string& dir) {
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  std::filesystem::create_directories(dir + "/certs", error);
  if (error) return absl::InternalError(absl::StrCat("cannot create ", dir));
  absl::StatusOr<pki::CertificateAuthority> ca =
      pki::CertificateAuthority::Create(
          "ltctl test CA", pki::KeyType::kEcdsaP256, Utc(2020), Utc(2040));
  if (!ca.ok()) return ca.status();
  pki::LeafSpec platform = Leaf("PLATFORM", "system");
  platform.server = true;
  platform.dns_names = {"localhost"};
  platform.ip_addresses = {"127.0.0.1"};
  absl::StatusOr<pki::IssuedCertificate> issued = ca->Issue(platform);
  if (!issued.ok()) return issued.status();
  for (absl::Status written :
       {Write(dir + "/certs/ca.pem", ca->CertificatePem()),
        Write(dir + "/certs/platform.pem",
              pki::CertificateToPem(issued->certificate.get())),
        Write(dir + "/certs/platform.key",
              pki::PrivateKeyToPem(issued->key.get()))}) {
    if (!written.ok()) return written;
  }
  std::unique_ptr<TestDaemon> daemon(new TestDaemon(dir, *std::move(ca)));

  // The daemon writes its port into the pipe once it serves.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return absl::InternalError("pipe2");
  std::vector<std::string> args = {
      binary,
      "--listen=127.0.0.1:0",
      absl::StrCat("--certs_dir=", dir, "/certs"),
      absl::StrCat("--data_dir=", dir, "/data"),
      absl::StrCat("--port_file=/dev/fd/", pipe_fds[1]),
      "--shutdown_grace=2s",
  };
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const std::string log = dir + "/lienthongd.log";
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
    fcntl(pipe_fds[1], F_SETFD, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return absl::InternalError("fork failed");
  }
  daemon->pid_ = pid;
  const int port = ReadPort(pipe_fds[0]);
  close(pipe_fds[0]);
  if (port <= 0) {
    std::stringstream text;
    text << std::ifstream(log).rdbuf();
    return absl::InternalError(
        absl::StrCat(binary, " did not start:\n", text.str()));
  }
  daemon->target_ = absl::StrCat("127.0.0.1:", port);
  return daemon;
}

TestDaemon::~TestDaemon() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

absl::StatusOr<CertificateFiles> TestDaemon::Issue(
    const std::string& agency, const std::string& role) const {
  absl::StatusOr<pki::IssuedCertificate> issued =
      ca_->Issue(Leaf(agency, role));
  if (!issued.ok()) return issued.status();
  CertificateFiles files;
  files.cert = absl::StrCat(dir_, "/", agency, ".", role, ".pem");
  files.key = absl::StrCat(dir_, "/", agency, ".", role, ".key");
  for (absl::Status written :
       {Write(files.cert, pki::CertificateToPem(issued->certificate.get())),
        Write(files.key, pki::PrivateKeyToPem(issued->key.get()))}) {
    if (!written.ok()) return written;
  }
  return files;
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> TestDaemon::Channel(
    const CertificateFiles& files) const {
  absl::StatusOr<MtlsFiles> pem =
      pki::ReadPkiFiles(dir_ + "/certs/ca.pem", files.cert, files.key);
  if (!pem.ok()) return pem.status();
  return grpc::CreateChannel(target_, MtlsChannelCredentials(*pem));
}

}  // namespace lienthong::ltctl
