#include "tests/e2e/cluster.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/metrics/http_get.h"

namespace lienthong::e2e {
namespace {

// A wait status as a shell shows it: the exit status, or 128 + the signal.
int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

const std::vector<std::string>& Cluster::Services() {
  static const auto* services = new std::vector<std::string>{
      "registry", "ingestion", "documents", "reporting"};
  return *services;
}

absl::StatusOr<std::unique_ptr<Cluster>> Cluster::Create(
    const std::string& dir, const std::string& daemon) {
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  std::filesystem::create_directories(dir + "/certs", error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", dir, ": ", error.message()));
  }
  absl::StatusOr<TestPki> pki = TestPki::Create(dir + "/certs");
  if (!pki.ok()) return pki.status();
  std::unique_ptr<Cluster> cluster(
      new Cluster(dir, daemon, std::make_unique<TestPki>(*std::move(pki))));
  if (absl::Status written = cluster->WriteConfig(); !written.ok()) {
    return written;
  }
  return cluster;
}

Cluster::~Cluster() {
  for (auto& [service, process] : processes_) {
    if (process.pid > 0) {
      kill(process.pid, SIGKILL);
      waitpid(process.pid, nullptr, 0);
    }
  }
}

absl::Status Cluster::StartAll() {
  for (const std::string& service : Services()) {
    if (absl::Status started = Start(service); !started.ok()) return started;
  }
  return absl::OkStatus();
}

absl::Status Cluster::Start(const std::string& service,
                            const std::vector<std::string>& extra_flags) {
  // A restart binds the port it had, which an outgoing connection may have
  // taken as its ephemeral port meanwhile: try again a few times.
  absl::Status started = Spawn(service, extra_flags);
  for (int attempt = 1;
       !started.ok() && processes_[service].port > 0 && attempt < 5;
       ++attempt) {
    started = Spawn(service, extra_flags);
  }
  return started;
}

absl::Status Cluster::Spawn(const std::string& service,
                            const std::vector<std::string>& extra_flags) {
  Process& process = processes_[service];
  if (process.pid > 0) {
    return absl::FailedPreconditionError(absl::StrCat(service, " runs"));
  }
  // The daemon writes its port into the pipe once it serves; the pipe ends
  // (EOF) if it exits first.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::InternalError("pipe2 failed");
  }
  std::vector<std::string> args = {
      daemon_,
      absl::StrCat("--services=", service),
      absl::StrCat("--config=", dir_, "/deployment.json"),
      absl::StrCat("--listen=127.0.0.1:", process.port),
      absl::StrCat("--certs_dir=", dir_, "/certs"),
      absl::StrCat("--data_dir=", dir_, "/data/", service),
      absl::StrCat("--port_file=/dev/fd/", pipe_fds[1]),
      "--metrics_listen=127.0.0.1:0",
      absl::StrCat("--metrics_port_file=", dir_, "/", service, ".metrics_port"),
      // Load, not limits, is under test here.
      "--rate_limit=1000000",
      "--rate_burst=1000000",
      "--max_calls_per_agency=10000",
      "--max_calls=100000",
      "--shutdown_grace=2s",
  };
  args.insert(args.end(), extra_flags.begin(), extra_flags.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::string log = absl::StrCat(dir_, "/", service, ".log");

  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec.
    int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) dup2(log_fd, STDERR_FILENO);
    int flags = fcntl(pipe_fds[1], F_GETFD);
    fcntl(pipe_fds[1], F_SETFD, flags & ~FD_CLOEXEC);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    return absl::InternalError("fork failed");
  }
  // Up to a minute for the port; a daemon that hangs is killed.
  std::string line;
  absl::Time deadline = absl::Now() + absl::Minutes(1);
  while (true) {
    pollfd readable = {pipe_fds[0], POLLIN, 0};
    int ready = poll(&readable, 1,
                     std::max<int64_t>(
                         0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    if (ready < 0 && errno == EINTR) continue;
    if (ready != 1) {
      kill(pid, SIGKILL);
      break;
    }
    char c;
    ssize_t got = read(pipe_fds[0], &c, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got != 1 || c == '\n') break;
    line.push_back(c);
  }
  close(pipe_fds[0]);
  int port = 0;
  if (!absl::SimpleAtoi(line, &port) || port <= 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    return absl::InternalError(absl::StrCat(service, " did not start (status ",
                                            status, "):\n", LogTail(service)));
  }
  process.pid = pid;
  process.port = port;
  return WriteConfig();
}

absl::Status Cluster::Kill(const std::string& service) {
  Process& process = processes_[service];
  if (process.pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(service, " not running"));
  }
  if (kill(process.pid, SIGKILL) != 0 ||
      waitpid(process.pid, nullptr, 0) != process.pid) {
    return absl::InternalError(absl::StrCat("cannot kill ", service));
  }
  process.pid = -1;
  return absl::OkStatus();
}

absl::StatusOr<int> Cluster::Stop(const std::string& service) {
  Process& process = processes_[service];
  if (process.pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(service, " not running"));
  }
  int status = 0;
  if (kill(process.pid, SIGTERM) != 0 ||
      waitpid(process.pid, &status, 0) != process.pid) {
    return absl::InternalError(absl::StrCat("cannot stop ", service));
  }
  process.pid = -1;
  return ExitCode(status);
}

absl::StatusOr<int> Cluster::Wait(const std::string& service,
                                  absl::Duration timeout) {
  Process& process = processes_[service];
  if (process.pid <= 0) {
    return absl::FailedPreconditionError(absl::StrCat(service, " not running"));
  }
  // A pidfd becomes readable when the process ends: no polling loop.
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, process.pid, 0));
  if (pidfd < 0) return absl::InternalError("pidfd_open failed");
  pollfd ended = {pidfd, POLLIN, 0};
  int ready = poll(&ended, 1, absl::ToInt64Milliseconds(timeout));
  close(pidfd);
  if (ready != 1) {
    return absl::DeadlineExceededError(absl::StrCat(service, " still runs"));
  }
  int status = 0;
  if (waitpid(process.pid, &status, 0) != process.pid) {
    return absl::InternalError(absl::StrCat("cannot reap ", service));
  }
  process.pid = -1;
  return ExitCode(status);
}

std::string Cluster::Target(const std::string& service) const {
  auto found = processes_.find(service);
  int port = found == processes_.end() ? 0 : found->second.port;
  return absl::StrCat("127.0.0.1:", port);
}

std::shared_ptr<grpc::Channel> Cluster::Channel(const std::string& service,
                                                const std::string& agency,
                                                const std::string& role,
                                                bool retry) const {
  grpc::ChannelArguments args;
  if (retry) {
    args.SetServiceConfigJSON(R"({"methodConfig": [{"name": [{}],
        "waitForReady": true,
        "retryPolicy": {"maxAttempts": 5, "initialBackoff": "0.2s",
                        "maxBackoff": "2s", "backoffMultiplier": 2,
                        "retryableStatusCodes": ["UNAVAILABLE"]}}]})");
  }
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = pki_->Channel(
      Target(service), agency, role, absl::FromUnixSeconds(2208988800), args);
  if (!channel.ok()) {
    std::fprintf(stderr, "no channel: %s\n",
                 channel.status().ToString().c_str());
    std::abort();
  }
  return *channel;
}

absl::StatusOr<std::string> Cluster::Scrape(const std::string& service) const {
  std::ifstream file(absl::StrCat(dir_, "/", service, ".metrics_port"));
  int port = 0;
  if (!(file >> port) || port <= 0) {
    return absl::NotFoundError(absl::StrCat(service, " serves no metrics"));
  }
  absl::StatusOr<metrics::HttpResponse> response =
      metrics::HttpRequest(port, "GET", "/metrics");
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::InternalError(
        absl::StrCat(service, " /metrics answered ", response->status));
  }
  return response->body;
}

std::string Cluster::LogTail(const std::string& service) const {
  std::ifstream in(absl::StrCat(dir_, "/", service, ".log"));
  std::stringstream content;
  content << in.rdbuf();
  std::vector<std::string> lines = absl::StrSplit(content.str(), '\n');
  size_t from = lines.size() > 20 ? lines.size() - 20 : 0;
  return absl::StrJoin(lines.begin() + from, lines.end(), "\n");
}

absl::Status Cluster::WriteConfig() const {
  std::vector<std::string> entries;
  for (const auto& [service, process] : processes_) {
    if (process.port > 0) {
      entries.push_back(
          absl::StrCat("\"", service, "\": \"127.0.0.1:", process.port, "\""));
    }
  }
  std::string path = dir_ + "/deployment.json";
  {
    std::ofstream out(path + ".tmp");
    out << "{\"addresses\": {" << absl::StrJoin(entries, ", ") << "}}\n";
    if (!out) return absl::InternalError("cannot write " + path);
  }
  std::error_code error;
  std::filesystem::rename(path + ".tmp", path, error);
  if (error) return absl::InternalError("cannot write " + path);
  return absl::OkStatus();
}

}  // namespace lienthong::e2e
