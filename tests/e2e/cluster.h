#ifndef TESTS_E2E_CLUSTER_H_
#define TESTS_E2E_CLUSTER_H_

// lienthongd as one process per service (registry, ingestion, documents,
// reporting), on loopback with mutual TLS, each over its own data directory:
// started in dependency order with the others' addresses in a deployment
// file, and killed and restarted one at a time on the same port and data.

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "services/lienthongd/test_pki.h"

namespace lienthong::e2e {

class Cluster {
 public:
  // The services, in the order they start (each needs only earlier ones).
  static const std::vector<std::string>& Services();

  // Writes the PKI and the deployment file under `dir` (emptied first);
  // `daemon` is the lienthongd binary. Starts nothing.
  static absl::StatusOr<std::unique_ptr<Cluster>> Create(
      const std::string& dir, const std::string& daemon);
  // Kills what still runs.
  ~Cluster();

  // Starts every service, in order.
  absl::Status StartAll();
  // Starts `service`'s process (on the port it had before, if it ran) with
  // `extra_flags`, and returns once it serves; an error, with its log, if it
  // exits instead.
  absl::Status Start(const std::string& service,
                     const std::vector<std::string>& extra_flags = {});
  // SIGKILL, and waits for the process to be gone.
  absl::Status Kill(const std::string& service);
  // SIGTERM; the process's exit status (0 after a graceful shutdown).
  absl::StatusOr<int> Stop(const std::string& service);
  // Waits up to `timeout` for the process to end on its own; its exit status,
  // 128 + signal when a signal ended it. DEADLINE_EXCEEDED if it still runs.
  absl::StatusOr<int> Wait(const std::string& service, absl::Duration timeout);

  // "127.0.0.1:port" of a service that has run.
  std::string Target(const std::string& service) const;
  // A new channel to `service` as `agency` in `role` (mTLS). With `retry`,
  // calls wait for the connection and gRPC retries UNAVAILABLE with backoff
  // (about 3 s in all): for requests with a request_id, after a restart.
  std::shared_ptr<grpc::Channel> Channel(const std::string& service,
                                         const std::string& agency,
                                         const std::string& role,
                                         bool retry = false) const;
  const TestPki& pki() const { return *pki_; }
  // What `service`'s GET /metrics shows now (Prometheus text).
  absl::StatusOr<std::string> Scrape(const std::string& service) const;
  // The last lines `service` logged, for failure messages.
  std::string LogTail(const std::string& service) const;

 private:
  Cluster(std::string dir, std::string daemon, std::unique_ptr<TestPki> pki)
      : dir_(std::move(dir)),
        daemon_(std::move(daemon)),
        pki_(std::move(pki)) {}
  // One attempt of Start.
  absl::Status Spawn(const std::string& service,
                     const std::vector<std::string>& extra_flags);
  // Rewrites the deployment file with every known address.
  absl::Status WriteConfig() const;

  struct Process {
    pid_t pid = -1;
    int port = 0;
  };
  std::string dir_;
  std::string daemon_;
  std::unique_ptr<TestPki> pki_;
  std::map<std::string, Process> processes_;
};

}  // namespace lienthong::e2e

#endif  // TESTS_E2E_CLUSTER_H_
