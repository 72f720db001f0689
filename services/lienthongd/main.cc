// lienthongd: the daemon, all in one or one process per service (--services,
// with the others' addresses in --config). Serves until SIGTERM or SIGINT,
// then shuts down gracefully (health NOT_SERVING first, then calls in flight
// get a grace period).

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
#include "libs/pki/openssl_support.h"
#include "libs/server/termination_signal.h"
#include "services/lienthongd/daemon.h"
#include "services/lienthongd/deployment_config.h"

ABSL_FLAG(std::string, listen, "",
          "host:port to serve on; port 0 picks a free port. Default: this "
          "process's service's address in --config, else 127.0.0.1:50051");
ABSL_FLAG(std::vector<std::string>, services, {},
          "the services this process hosts, comma-separated: registry, "
          "ingestion, reporting, documents; empty hosts them all");
ABSL_FLAG(std::string, config, "",
          "deployment file, JSON {\"addresses\": {\"registry\": "
          "\"host:port\", ...}}: where the services this process calls are "
          "served");
ABSL_FLAG(std::string, data_dir, "var",
          "directory for the embedded databases (created if missing)");
ABSL_FLAG(std::string, database, "",
          "PostgreSQL for every store of this process, as a libpq connection "
          "string (postgresql://user:password@host:5432/db); one database per "
          "process; empty keeps SQLite files under --data_dir");
ABSL_FLAG(std::string, load_units_dir, "",
          "directory of the national unit files to load at start (the 2025 "
          "list and the old-to-2025 mapping); empty loads nothing");
ABSL_FLAG(std::string, load_seeds_dir, "",
          "directory of seed plan bundles (*.json) to load at start, after "
          "the units; empty loads nothing");
ABSL_FLAG(std::string, certs_dir, "",
          "directory with ca.pem, optional crl.pem and platform.pem/.key "
          "(as lt-certs writes them): serve mutual TLS, authorize callers by "
          "their certificates, host DocumentService");
ABSL_FLAG(bool, plaintext, false,
          "serve plain text and trust every caller; refused unless --listen "
          "is a loopback address");
ABSL_FLAG(std::string, port_file, "",
          "if set, the bound port is written to this file once serving");
ABSL_FLAG(std::string, metrics_listen, "",
          "host:port serving GET /metrics in Prometheus' text format (port 0 "
          "picks a free one); plain HTTP, so keep it on loopback or an "
          "internal address; empty serves no metrics");
ABSL_FLAG(std::string, metrics_port_file, "",
          "if set, the bound metrics port is written to this file once "
          "serving");
ABSL_FLAG(std::string, log_level, "info",
          "least severe log lines written to stderr: debug, info, warning, "
          "error");
ABSL_FLAG(int, max_message_bytes, 16 << 20,
          "largest request or response message, in bytes");
ABSL_FLAG(double, rate_limit, 100,
          "calls a second each agency may make, sustained (mTLS only)");
ABSL_FLAG(double, rate_burst, 200,
          "calls an agency may make at once after a lull");
ABSL_FLAG(int, max_calls_per_agency, 32,
          "calls (open streams included) each agency may have in flight");
ABSL_FLAG(int, max_calls, 512,
          "calls all agencies together may have in flight; more are refused "
          "UNAVAILABLE with a retry delay");
ABSL_FLAG(std::string, testing_crash_after, "",
          "crash tests only: /package.Service/Method:N kills this process "
          "(SIGKILL) after the Nth successful call of that method, before its "
          "status is sent");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "how long calls in flight may run after a termination signal");

int main(int argc, char** argv) {
  // Before any thread exists, so the signals reach only sigwait() below.
  lienthong::BlockTerminationSignals();
  lienthong::pki::KeepOpenSslStateUntilExit();
  absl::SetProgramUsageMessage("lienthong all-in-one daemon");
  absl::ParseCommandLine(argc, argv);

  lienthong::SystemClock clock;
  std::unique_ptr<lienthong::LogSink> sink = lienthong::StderrLogSink();
  const std::map<std::string, lienthong::LogLevel> levels = {
      {"debug", lienthong::LogLevel::kDebug},
      {"info", lienthong::LogLevel::kInfo},
      {"warning", lienthong::LogLevel::kWarning},
      {"error", lienthong::LogLevel::kError}};
  auto level = levels.find(absl::GetFlag(FLAGS_log_level));
  if (level == levels.end()) {
    std::fprintf(stderr,
                 "lienthongd: --log_level must be debug, info, "
                 "warning or error\n");
    return 2;
  }
  lienthong::Logger logger(sink.get(), &clock, level->second);

  lienthong::DaemonOptions options;
  options.services = absl::GetFlag(FLAGS_services);
  if (std::string config = absl::GetFlag(FLAGS_config); !config.empty()) {
    auto addresses = lienthong::ReadDeploymentConfig(config);
    if (!addresses.ok()) {
      logger.Error("lienthongd.config_invalid",
                   {{"error", addresses.status().ToString()}});
      return 2;
    }
    options.peers = *std::move(addresses);
  }
  absl::StatusOr<std::string> listen =
      lienthong::ListenAddress(absl::GetFlag(FLAGS_listen), options.services,
                               options.peers, "127.0.0.1:50051");
  if (!listen.ok()) {
    logger.Error("lienthongd.config_invalid",
                 {{"error", listen.status().ToString()}});
    return 2;
  }
  options.server.address = *listen;
  options.server.max_receive_message_bytes =
      absl::GetFlag(FLAGS_max_message_bytes);
  options.server.max_send_message_bytes =
      absl::GetFlag(FLAGS_max_message_bytes);
  options.server.logger = &logger;
  options.data_dir = absl::GetFlag(FLAGS_data_dir);
  options.database = absl::GetFlag(FLAGS_database);
  options.load_units_dir = absl::GetFlag(FLAGS_load_units_dir);
  options.load_seeds_dir = absl::GetFlag(FLAGS_load_seeds_dir);
  options.certs_dir = absl::GetFlag(FLAGS_certs_dir);
  options.plaintext = absl::GetFlag(FLAGS_plaintext);
  options.limits.calls_per_second = absl::GetFlag(FLAGS_rate_limit);
  options.limits.burst = absl::GetFlag(FLAGS_rate_burst);
  options.limits.max_calls_per_identity =
      absl::GetFlag(FLAGS_max_calls_per_agency);
  options.limits.max_calls = absl::GetFlag(FLAGS_max_calls);
  options.testing_crash_after = absl::GetFlag(FLAGS_testing_crash_after);
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);

  auto daemon = lienthong::Daemon::Start(options);
  if (!daemon.ok()) {
    logger.Error("lienthongd.start_failed",
                 {{"error", daemon.status().ToString()}});
    return 1;
  }
  // The metrics port first: whoever waits for the server's port finds it.
  std::string metrics_port_file = absl::GetFlag(FLAGS_metrics_port_file);
  if (!metrics_port_file.empty()) {
    std::ofstream(metrics_port_file) << (*daemon)->metrics_port() << "\n";
  }
  std::string port_file = absl::GetFlag(FLAGS_port_file);
  if (!port_file.empty()) {
    std::ofstream(port_file) << (*daemon)->server().port() << "\n";
  }

  int signal_number = lienthong::WaitForTerminationSignal();
  logger.Info("lienthongd.signal", {{"signal", absl::StrCat(signal_number)}});
  (*daemon)->Shutdown(absl::GetFlag(FLAGS_shutdown_grace));
  return 0;
}
