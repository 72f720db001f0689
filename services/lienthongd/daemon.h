#ifndef SERVICES_LIENTHONGD_DAEMON_H_
#define SERVICES_LIENTHONGD_DAEMON_H_

// The daemon: every service on one port over one data directory (all in one),
// or some of them, one process per service. Services reach each other only
// through gRPC, never through each other's classes: over loopback when they
// share the process, at the peer's configured address when they do not.

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/server/call_limiter.h"
#include "libs/server/grpc_server.h"

namespace grpc {
class ChannelCredentials;
}  // namespace grpc

namespace lienthong {

class Clock;
class Logger;

namespace metrics {
class MetricsHttpServer;
class MetricsRegistry;
}  // namespace metrics

namespace audit {
class AuditLog;
class AuditReader;
class AuditServiceImpl;
class AuditStore;
}  // namespace audit

namespace authz {
class UnitDirectory;
}  // namespace authz

namespace ingestion {
class ChangeNotifier;
class IngestionServiceImpl;
class RegistryCacheLookup;
class ValueStore;
class ValueIntake;
}  // namespace ingestion

namespace reporting {
class AchievementReader;
class CompletenessReader;
class GrpcPlanSource;
class FeedFollower;
class FeedIndex;
class ReportingServiceImpl;
class RollupReader;
class ReportingStore;
}  // namespace reporting

namespace documents {
class DocumentExchange;
class DocumentServiceImpl;
class FileAttachmentStore;
class DocumentStore;
struct DocumentPki;
}  // namespace documents

namespace registry {
class AdminUnitServiceImpl;
class RegistryCache;
class AgencyRegistry;
class AgencyServiceImpl;
class IndicatorRegistry;
class NotifyingRecordStore;
class NotifyingUnitStore;
class RegistryRevision;
class RegistryWatchServiceImpl;
class IndicatorServiceImpl;
class PlanRegistry;
class PlanServiceImpl;
class ScheduleRegistry;
class ScheduleServiceImpl;
class RecordStore;
class UnitStore;
class UnitImporter;
class UnitRegistry;
}  // namespace registry

struct DaemonOptions {
  ServerOptions server;
  // Directory holding the embedded databases (and, whatever the database,
  // document attachments); created if missing. One daemon at a time may use
  // it (an exclusive lock guards it).
  std::string data_dir = "var";
  // Empty: SQLite files under data_dir. Otherwise a libpq connection string
  // ("postgresql://user:password@host:5432/db" or "host=... dbname=...") to
  // the PostgreSQL database holding every store of this process; each process
  // needs a database of its own (their audit logs are separate chains).
  std::string database;
  // Stamps writes and decides "today" for as-of reads; null means the system
  // clock.
  const Clock* clock = nullptr;
  // If set, a directory with the national unit files (vn_units_2025.json,
  // vn_units_old_to_2025.json) loaded at start as the 1 July 2025 reform;
  // loading them again changes nothing.
  std::string load_units_dir;
  // If set, a directory of seed bundles (deploy/demo/seeds) loaded at start,
  // after the units; loading them again changes nothing.
  std::string load_seeds_dir;
  // The PKI, as lt-certs writes it: ca.pem, optional crl.pem,
  // platform.pem/.key. The server speaks mutual TLS with it, authorizes
  // callers by their certificates, and hosts the document exchange; without
  // it DocumentService is not hosted.
  std::string certs_dir;
  // Serve plain text, trusting every caller: only on a loopback address, and
  // only when asked for. Otherwise certs_dir is required.
  bool plaintext = false;
  // Per-agency rate and calls in flight, and all calls in flight (mTLS only).
  CallLimits limits;
  // The services this process hosts: "registry", "ingestion", "reporting",
  // "documents". Empty hosts them all (documents only with certs_dir). Every
  // process also hosts the audit service over its own log.
  std::vector<std::string> services;
  // Where the services this process calls but does not host are served,
  // "host:port" by service name: every process needs "registry", reporting
  // needs "ingestion" too.
  std::map<std::string, std::string> peers;
  // If set, "host:port" where GET /metrics serves this process's metrics in
  // Prometheus' text format (port 0 picks a free one). Plain HTTP without
  // authentication: bind it to loopback or an internal address.
  std::string metrics_listen;
  // For crash tests only: "/package.Service/Method:N" makes the process kill
  // itself (SIGKILL) after the Nth successful call of that method has done its
  // work and before its status is sent. Empty in service.
  std::string testing_crash_after;
};

// A running daemon.
class Daemon {
 public:
  static absl::StatusOr<std::unique_ptr<Daemon>> Start(
      const DaemonOptions& options);
  ~Daemon();

  GrpcServer& server() { return *server_; }
  // Names of the hosted services, as health reports them.
  const std::vector<std::string>& service_names() const {
    return service_names_;
  }
  // The services this process hosts ("registry", "ingestion", ...).
  const std::set<std::string>& hosted() const { return hosted_; }
  // Admission of agency calls; null on plain text.
  const CallLimiter* call_limiter() const { return call_limiter_.get(); }
  // The metrics of this process, as GET /metrics shows them.
  const metrics::MetricsRegistry& metrics() const { return *metrics_; }
  // The bound port of the metrics endpoint; 0 without one.
  int metrics_port() const;

  // Reports NOT_SERVING, then lets calls in flight finish within `grace`.
  void Shutdown(absl::Duration grace);

 private:
  Daemon() = default;
  bool Hosts(const std::string& service) const {
    return hosted_.count(service) > 0;
  }
  // Decides what this process hosts and checks it knows where the rest are.
  static absl::Status ChooseServices(Daemon& daemon,
                                     const DaemonOptions& options);
  // Chooses mTLS (certs_dir) or loopback plain text, and the policy.
  static absl::Status SecureTransport(
      Daemon& daemon, const DaemonOptions& options, const Clock* clock,
      ServerOptions& server_options,
      std::shared_ptr<grpc::ChannelCredentials>& platform_credentials);
  // Opens the audit log and audits every mutating call through it.
  static absl::Status StartAudit(Daemon& daemon, const DaemonOptions& options,
                                 const Clock* clock,
                                 ServerOptions& server_options);
  // Each opens one service's stores and adds its adapters to `services`.
  static absl::Status StartRegistry(Daemon& daemon,
                                    const DaemonOptions& options,
                                    const Clock* clock,
                                    std::vector<HostedService>& services);
  static absl::Status StartIngestion(Daemon& daemon,
                                     const DaemonOptions& options,
                                     const Clock* clock,
                                     std::vector<HostedService>& services);
  static absl::Status StartReporting(Daemon& daemon,
                                     const DaemonOptions& options,
                                     const Clock* clock,
                                     std::vector<HostedService>& services);
  static absl::Status StartDocuments(Daemon& daemon,
                                     const DaemonOptions& options,
                                     const ServerOptions& server_options,
                                     std::vector<HostedService>& services);
  // Adds the hosted services' own figures to the metrics (see
  // daemon_metrics.cc) and serves them when asked to.
  static absl::Status StartMetrics(Daemon& daemon,
                                   const DaemonOptions& options);

  std::set<std::string> hosted_;
  int data_dir_lock_fd_ = -1;
  std::unique_ptr<metrics::MetricsRegistry> metrics_;
  std::unique_ptr<Clock> system_clock_;
  std::unique_ptr<authz::UnitDirectory> unit_directory_;
  std::unique_ptr<CallLimiter> call_limiter_;
  std::shared_ptr<const Authorizer> authorizer_;
  std::unique_ptr<audit::AuditStore> audit_store_;
  std::unique_ptr<audit::AuditLog> audit_log_;
  std::unique_ptr<audit::AuditReader> audit_reader_;
  std::unique_ptr<audit::AuditServiceImpl> audit_service_;
  std::unique_ptr<registry::RegistryRevision> registry_revision_;
  std::unique_ptr<registry::UnitStore> stored_units_;
  std::unique_ptr<registry::NotifyingUnitStore> unit_store_;
  std::unique_ptr<registry::UnitRegistry> unit_registry_;
  std::unique_ptr<registry::UnitImporter> unit_importer_;
  std::unique_ptr<registry::AdminUnitServiceImpl> admin_unit_service_;
  std::unique_ptr<registry::RecordStore> stored_records_;
  std::unique_ptr<registry::NotifyingRecordStore> record_store_;
  std::unique_ptr<registry::AgencyRegistry> agency_registry_;
  std::unique_ptr<registry::AgencyServiceImpl> agency_service_;
  std::unique_ptr<registry::IndicatorRegistry> indicator_registry_;
  std::unique_ptr<registry::IndicatorServiceImpl> indicator_service_;
  std::unique_ptr<registry::ScheduleRegistry> schedule_registry_;
  std::unique_ptr<registry::ScheduleServiceImpl> schedule_service_;
  std::unique_ptr<registry::PlanRegistry> plan_registry_;
  std::unique_ptr<registry::PlanServiceImpl> plan_service_;
  std::unique_ptr<registry::RegistryWatchServiceImpl> watch_service_;
  std::unique_ptr<ingestion::ValueStore> value_store_;
  std::unique_ptr<ingestion::ChangeNotifier> change_notifier_;
  std::unique_ptr<ingestion::RegistryCacheLookup> registry_lookup_;
  std::unique_ptr<ingestion::ValueIntake> value_intake_;
  std::unique_ptr<ingestion::IngestionServiceImpl> ingestion_service_;
  // Ingestion's view of the registry, over gRPC; outlives the server, whose
  // shutdown ends the calls that use it.
  std::unique_ptr<registry::RegistryCache> registry_cache_;
  // Reporting: the change feed followed into memory, rollups read from it.
  std::unique_ptr<reporting::ReportingStore> reporting_store_;
  std::unique_ptr<reporting::FeedIndex> feed_index_;
  std::unique_ptr<reporting::RollupReader> rollup_reader_;
  std::unique_ptr<reporting::CompletenessReader> completeness_reader_;
  std::unique_ptr<reporting::AchievementReader> achievement_reader_;
  std::unique_ptr<reporting::ReportingServiceImpl> reporting_service_;
  // Plans over gRPC for achievement; outlives the server's calls.
  std::unique_ptr<reporting::GrpcPlanSource> plan_source_;
  // Destroyed before the cache and the index it feeds.
  std::unique_ptr<reporting::FeedFollower> feed_follower_;
  // Document exchange (when a certs_dir is given).
  std::unique_ptr<documents::DocumentPki> document_pki_;
  std::unique_ptr<documents::DocumentStore> document_store_;
  std::unique_ptr<documents::FileAttachmentStore> attachment_store_;
  std::unique_ptr<documents::DocumentExchange> document_exchange_;
  std::unique_ptr<documents::DocumentServiceImpl> document_service_;
  std::vector<std::string> service_names_;
  // Last: destroyed first, so no call runs while the services go away.
  std::unique_ptr<GrpcServer> server_;
  // Stopped before everything: its scrapes read the services' figures.
  std::unique_ptr<metrics::MetricsHttpServer> metrics_server_;
};

}  // namespace lienthong

#endif  // SERVICES_LIENTHONGD_DAEMON_H_
