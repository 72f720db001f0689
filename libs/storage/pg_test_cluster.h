#ifndef LIBS_STORAGE_PG_TEST_CLUSTER_H_
#define LIBS_STORAGE_PG_TEST_CLUSTER_H_

// A throwaway PostgreSQL server for tests: initdb into a private temporary
// directory, started with `pg_ctl -w start` (which waits until it accepts
// connections, so no sleeps), stopped with `pg_ctl -m immediate stop` and the
// directory removed by the destructor.
//
// Hermetic: the server listens on no TCP address at all
// (listen_addresses=''), only on a Unix socket in its own directory, so there
// is no port to pick, no race for one with parallel tests, and nothing
// reachable from outside the file system. Authentication is `trust` for
// superuser "postgres"; durability settings are the production ones
// (fsync=on, synchronous_commit=on).
//
// The directory is under TEST_TMPDIR (else TMPDIR, else /tmp), unless that
// path is too long for a Unix socket (sun_path holds 108 bytes, and Bazel's
// TEST_TMPDIR is often longer) or, when running as root, not reachable by the
// server's user: then it is under /tmp.
//
// As root: initdb and postgres refuse to run as root, so both run as user
// "nobody" (privileges dropped in the child process between fork and exec,
// no runuser/setpriv needed) and the directory is handed to that user.

#include <atomic>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lienthong {

struct PgTestClusterOptions {
  // Where initdb, pg_ctl and postgres are; empty: the newest
  // /usr/lib/postgresql/<version>/bin (Debian's layout).
  std::string bin_dir;
};

class PgTestCluster {
 public:
  using Options = PgTestClusterOptions;

  // Creates and starts a cluster. FAILED_PRECONDITION without the server
  // binaries; INTERNAL, with the end of initdb's or the server's log, when it
  // does not come up.
  static absl::StatusOr<std::unique_ptr<PgTestCluster>> Start(
      const Options& options = {});
  ~PgTestCluster();
  PgTestCluster(const PgTestCluster&) = delete;
  PgTestCluster& operator=(const PgTestCluster&) = delete;

  // Creates a new, empty database (test_1, test_2, ...) and returns its libpq
  // connection string. Thread-safe.
  absl::StatusOr<std::string> CreateDatabase();

  // The connection string of database `name` (e.g. "postgres").
  std::string ConnInfo(absl::string_view name) const;

  // The cluster's directory: data/, the socket, the logs.
  const std::string& dir() const { return dir_; }

 private:
  PgTestCluster(std::string bin_dir, std::string dir, int uid, int gid)
      : bin_dir_(std::move(bin_dir)),
        dir_(std::move(dir)),
        uid_(uid),
        gid_(gid) {}

  // Runs `bin_dir_/program args...` as the server's user with output to
  // `log`; INTERNAL (with the log's end) unless it exits 0.
  absl::Status Run(const std::string& program,
                   const std::vector<std::string>& args,
                   const std::string& log) const;
  absl::Status InitAndStart();

  std::string bin_dir_;
  std::string dir_;
  int uid_;  // the server's user and group; -1: this process's own
  int gid_;
  std::atomic<int> databases_{0};
};

}  // namespace lienthong

#endif  // LIBS_STORAGE_PG_TEST_CLUSTER_H_
