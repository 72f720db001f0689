#include "services/lienthongd/daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "libs/log/logger.h"
#include "libs/status/status_details.h"

namespace lienthong {
namespace {

// Creates `dir` and locks it for this process; returns the lock's descriptor.
absl::StatusOr<int> LockDataDir(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "cannot create data directory ", dir, ": ", error.message())),
        "DATA_DIR_UNUSABLE", {{"data_dir", dir}});
  }
  std::string lock_path = (std::filesystem::path(dir) / "LOCK").string();
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat("cannot open ", lock_path,
                                                   ": ", std::strerror(errno))),
        "DATA_DIR_UNUSABLE", {{"data_dir", dir}});
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return WithErrorInfo(
        absl::FailedPreconditionError(absl::StrCat(
            "data directory ", dir, " is in use by another lienthongd")),
        "DATA_DIR_LOCKED", {{"data_dir", dir}});
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(
    const DaemonOptions& options) {
  std::unique_ptr<Daemon> daemon(new Daemon());
  absl::StatusOr<int> lock = LockDataDir(options.data_dir);
  if (!lock.ok()) return lock.status();
  daemon->data_dir_lock_fd_ = *lock;

  // Services register here as they are built (registry, ingestion, documents,
  // reporting), each with its store under options.data_dir.
  std::vector<HostedService> services;
  for (const HostedService& hosted : services) {
    daemon->service_names_.push_back(hosted.name);
  }

  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(options.server, services);
  if (!server.ok()) return server.status();
  daemon->server_ = *std::move(server);
  if (options.server.logger != nullptr) {
    options.server.logger->Info("lienthongd.ready",
                                {{"address", daemon->server_->target()},
                                 {"data_dir", options.data_dir}});
  }
  return daemon;
}

Daemon::~Daemon() {
  server_.reset();
  if (data_dir_lock_fd_ >= 0) close(data_dir_lock_fd_);
}

void Daemon::Shutdown(absl::Duration grace) {
  server_->Shutdown(absl::Now() + grace);
}

}  // namespace lienthong
