#include "services/lienthongd/daemon.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "libs/audit/audit_log.h"
#include "libs/audit/pg_audit_store.h"
#include "libs/audit/sqlite_audit_store.h"
#include "libs/authz/hierarchy_authorizer.h"
#include "libs/clock/clock.h"
#include "libs/log/logger.h"
#include "libs/metrics/metrics_http_server.h"
#include "libs/metrics/metrics_registry.h"
#include "libs/metrics/process_metrics.h"
#include "libs/server/admission.h"
#include "libs/server/audit_interceptor.h"
#include "libs/server/call_limiter.h"
#include "libs/server/crash_injection.h"
#include "libs/server/metrics_interceptor.h"
#include "libs/server/mtls.h"
#include "libs/status/status_details.h"
#include "services/audit/audit_reader.h"
#include "services/audit/audit_service.h"
#include "services/documents/document_exchange.h"
#include "services/documents/document_pki.h"
#include "services/documents/document_service.h"
#include "services/documents/file_attachment_store.h"
#include "services/documents/pg_document_store.h"
#include "services/documents/sqlite_document_store.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/ingestion_service.h"
#include "services/ingestion/pg_value_store.h"
#include "services/ingestion/registry_cache_lookup.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"
#include "services/lienthongd/deployment_config.h"
#include "services/lienthongd/registry_unit_directory.h"
#include "services/registry/admin_unit_service.h"
#include "services/registry/agency_registry.h"
#include "services/registry/agency_service.h"
#include "services/registry/indicator_registry.h"
#include "services/registry/indicator_service.h"
#include "services/registry/notifying_stores.h"
#include "services/registry/pg_record_store.h"
#include "services/registry/pg_unit_store.h"
#include "services/registry/plan_registry.h"
#include "services/registry/plan_service.h"
#include "services/registry/registry_cache.h"
#include "services/registry/registry_revision.h"
#include "services/registry/registry_watch_service.h"
#include "services/registry/schedule_registry.h"
#include "services/registry/schedule_service.h"
#include "services/registry/seed_loader.h"
#include "services/registry/sqlite_record_store.h"
#include "services/registry/sqlite_unit_store.h"
#include "services/registry/unit_import.h"
#include "services/registry/unit_registry.h"
#include "services/reporting/achievement_reader.h"
#include "services/reporting/carried_history.h"
#include "services/reporting/completeness_reader.h"
#include "services/reporting/feed_follower.h"
#include "services/reporting/feed_index.h"
#include "services/reporting/grpc_plan_source.h"
#include "services/reporting/pg_reporting_store.h"
#include "services/reporting/reporting_service.h"
#include "services/reporting/rollup_reader.h"
#include "services/reporting/sqlite_reporting_store.h"

namespace lienthong {
namespace {

constexpr char kRegistry[] = "registry";
constexpr char kIngestion[] = "ingestion";
constexpr char kReporting[] = "reporting";
constexpr char kDocuments[] = "documents";

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

// Loads the national files as the reform of 1 July 2025 (NQ 202/2025/QH15).
// Opens a store on the backend chosen: the SQLite file `file` under the data
// directory, or the PostgreSQL database. `args` follow the path or conninfo.
template <typename Store, typename SqliteStore, typename PgStore,
          typename... Args>
absl::StatusOr<std::unique_ptr<Store>> OpenStore(const DaemonOptions& options,
                                                 const std::string& file,
                                                 Args... args) {
  if (options.database.empty()) {
    auto store = SqliteStore::Open(
        (std::filesystem::path(options.data_dir) / file).string(), args...);
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(*std::move(store));
  }
  auto store = PgStore::Open(options.database, args...);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(*std::move(store));
}

absl::Status LoadNationalUnits(registry::UnitImporter& importer,
                               const std::string& dir, const Logger* logger) {
  struct File {
    const char* name;
    registry::v1::ImportFormat format;
  };
  for (const File& file :
       {File{"vn_units_2025.json", registry::v1::IMPORT_FORMAT_UNITS_2025_JSON},
        File{"vn_units_old_to_2025.json",
             registry::v1::IMPORT_FORMAT_OLD_TO_2025_JSON}}) {
    std::string path = (std::filesystem::path(dir) / file.name).string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat("cannot read ", path)),
          "UNITS_FILE_UNREADABLE", {{"path", path}});
    }
    std::stringstream content;
    content << in.rdbuf();
    registry::v1::ImportUnitsRequest request;
    request.set_format(file.format);
    request.set_content(content.str());
    request.mutable_effective_date()->set_year(2025);
    request.mutable_effective_date()->set_month(7);
    request.mutable_effective_date()->set_day(1);
    request.set_legal_reference("NQ 202/2025/QH15");
    absl::StatusOr<registry::v1::ImportUnitsResponse> response =
        importer.Import(request);
    if (!response.ok()) return response.status();
    if (logger != nullptr) {
      logger->Info("registry.units.loaded",
                   {{"file", file.name},
                    {"created", absl::StrCat(response->units_created())},
                    {"updated", absl::StrCat(response->units_updated())},
                    {"unchanged", absl::StrCat(response->units_unchanged())},
                    {"events", absl::StrCat(response->events_recorded())},
                    {"refused", absl::StrCat(response->refused_size())}});
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Daemon>> Daemon::Start(
    const DaemonOptions& options) {
  const CallLimits& limits = options.limits;
  if (!(limits.calls_per_second > 0) || !(limits.burst >= 1) ||
      limits.max_calls_per_identity < 1 || limits.max_calls < 1 ||
      limits.max_identities < 1) {
    return WithErrorInfo(
        absl::InvalidArgumentError(
            "limits must be positive: rate_limit > 0, rate_burst >= 1, "
            "max_calls_per_agency >= 1, max_calls >= 1"),
        "INVALID_LIMITS");
  }
  std::unique_ptr<Daemon> daemon(new Daemon());
  if (absl::Status hosting = ChooseServices(*daemon, options); !hosting.ok()) {
    return hosting;
  }
  absl::StatusOr<int> lock = LockDataDir(options.data_dir);
  if (!lock.ok()) return lock.status();
  daemon->data_dir_lock_fd_ = *lock;

  const Clock* clock = options.clock;
  if (clock == nullptr) {
    daemon->system_clock_ = std::make_unique<SystemClock>();
    clock = daemon->system_clock_.get();
  }
  ServerOptions server_options = options.server;
  daemon->metrics_ = std::make_unique<metrics::MetricsRegistry>();
  metrics::AddProcessMetrics(*daemon->metrics_, absl::Now());
  // Authorization and service-to-service calls consult the registry through
  // this cache lookup, attached once the server runs.
  daemon->registry_lookup_ = std::make_unique<ingestion::RegistryCacheLookup>();
  std::shared_ptr<grpc::ChannelCredentials> platform_credentials;
  if (absl::Status secured = SecureTransport(
          *daemon, options, clock, server_options, platform_credentials);
      !secured.ok()) {
    return secured;
  }
  daemon->authorizer_ = server_options.authorizer;
  if (absl::Status audited =
          StartAudit(*daemon, options, clock, server_options);
      !audited.ok()) {
    return audited;
  }
  if (!options.testing_crash_after.empty()) {
    absl::StatusOr<CrashPoint> point =
        ParseCrashPoint(options.testing_crash_after);
    if (!point.ok()) return point.status();
    server_options.interceptors.push_back(
        CrashInjectionInterceptorFactory(*point));
  }

  // First, so a call's time includes admission and audit.
  server_options.interceptors.insert(
      server_options.interceptors.begin(),
      MetricsInterceptorFactory(daemon->metrics_.get(), options.server.logger));

  // Each service keeps its own database under the data directory.
  std::vector<HostedService> services;
  if (daemon->Hosts(kRegistry)) {
    absl::Status started = StartRegistry(*daemon, options, clock, services);
    if (!started.ok()) return started;
  }
  if (daemon->Hosts(kIngestion)) {
    absl::Status started = StartIngestion(*daemon, options, clock, services);
    if (!started.ok()) return started;
  }
  if (daemon->Hosts(kReporting)) {
    absl::Status started = StartReporting(*daemon, options, clock, services);
    if (!started.ok()) return started;
  }
  if (daemon->Hosts(kDocuments)) {
    absl::Status started =
        StartDocuments(*daemon, options, server_options, services);
    if (!started.ok()) return started;
  }
  services.push_back(
      {"lienthong.audit.v1.AuditService", daemon->audit_service_.get()});
  for (const HostedService& hosted : services) {
    daemon->service_names_.push_back(hosted.name);
  }

  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(server_options, services);
  if (!server.ok()) return server.status();
  daemon->server_ = *std::move(server);
  // The services call each other with the platform's own certificate: over
  // loopback TCP when they share this process (not an in-process channel: gRPC
  // 1.51 crashes on calls started on one after its server shut down, and the
  // clients below reconnect on their own), at the peer's address otherwise.
  std::shared_ptr<grpc::Channel> loopback = grpc::CreateCustomChannel(
      absl::StrCat("127.0.0.1:", daemon->server_->port()), platform_credentials,
      ClientChannelArguments(server_options));
  auto channel_to = [&](const char* service) {
    if (daemon->Hosts(service)) return loopback;
    return grpc::CreateCustomChannel(options.peers.at(service),
                                     platform_credentials,
                                     ClientChannelArguments(server_options));
  };
  std::shared_ptr<grpc::Channel> registry = channel_to(kRegistry);
  daemon->registry_cache_ = std::make_unique<registry::RegistryCache>(registry);
  daemon->registry_lookup_->Attach(daemon->registry_cache_.get());
  if (daemon->Hosts(kReporting)) {
    daemon->plan_source_ =
        std::make_unique<reporting::GrpcPlanSource>(registry);
    daemon->achievement_reader_->Attach(daemon->plan_source_.get());
    daemon->feed_follower_ = std::make_unique<reporting::FeedFollower>(
        channel_to(kIngestion), daemon->feed_index_.get(),
        daemon->reporting_store_.get());
  }
  if (absl::Status metrics = StartMetrics(*daemon, options); !metrics.ok()) {
    return metrics;
  }
  if (options.server.logger != nullptr) {
    options.server.logger->Info(
        "lienthongd.ready",
        {{"address", daemon->server_->target()},
         {"metrics",
          daemon->metrics_port() > 0 ? options.metrics_listen : "off"},
         {"services", absl::StrJoin(daemon->hosted_, ",")},
         {"data_dir", options.data_dir}});
  }
  return daemon;
}

absl::Status Daemon::ChooseServices(Daemon& daemon,
                                    const DaemonOptions& options) {
  if (options.services.empty()) {
    daemon.hosted_ = {kRegistry, kIngestion, kReporting};
    // The document exchange needs the PKI that signs receipts.
    if (!options.certs_dir.empty()) daemon.hosted_.insert(kDocuments);
  }
  for (const std::string& service : options.services) {
    if (!IsServiceName(service)) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              "unknown service \"", service,
              "\"; services are registry, ingestion, reporting, documents")),
          "UNKNOWN_SERVICE", {{"service", service}});
    }
    daemon.hosted_.insert(service);
  }
  if (daemon.Hosts(kDocuments) && options.certs_dir.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             "the document exchange needs certs_dir (its "
                             "receipts are signed with the platform key)"),
                         "DOCUMENTS_NEED_PKI");
  }
  if (!daemon.Hosts(kRegistry) &&
      (!options.load_units_dir.empty() || !options.load_seeds_dir.empty())) {
    return WithErrorInfo(
        absl::InvalidArgumentError(
            "units and seeds load into the registry: start them with the "
            "process that hosts it"),
        "REGISTRY_NOT_HOSTED");
  }
  // Every process authorizes through the registry; reporting follows the
  // change feed.
  std::vector<std::string> needed = {kRegistry};
  if (daemon.Hosts(kReporting)) needed.push_back(kIngestion);
  for (const std::string& service : needed) {
    if (daemon.Hosts(service)) continue;
    auto peer = options.peers.find(service);
    if (peer == options.peers.end() || peer->second.empty()) {
      return WithErrorInfo(
          absl::InvalidArgumentError(absl::StrCat(
              "this process calls ", service,
              " but does not host it: give its address (host:port)")),
          "PEER_ADDRESS_MISSING", {{"service", service}});
    }
  }
  return absl::OkStatus();
}

absl::Status Daemon::StartRegistry(Daemon& daemon, const DaemonOptions& options,
                                   const Clock* clock,
                                   std::vector<HostedService>& services) {
  // Registry writes go through decorators that tell watchers (caches) what
  // changed.
  daemon.registry_revision_ = std::make_unique<registry::RegistryRevision>(
      absl::FormatTime(absl::RFC3339_full, clock->Now(), absl::UTCTimeZone()));
  absl::StatusOr<std::unique_ptr<registry::UnitStore>> unit_store =
      OpenStore<registry::UnitStore, registry::SqliteUnitStore,
                registry::PgUnitStore>(options, "registry.db", clock);
  if (!unit_store.ok()) return unit_store.status();
  daemon.stored_units_ = *std::move(unit_store);
  daemon.unit_store_ = std::make_unique<registry::NotifyingUnitStore>(
      daemon.stored_units_.get(), daemon.registry_revision_.get());
  daemon.unit_registry_ =
      std::make_unique<registry::UnitRegistry>(daemon.unit_store_.get(), clock);
  daemon.unit_importer_ =
      std::make_unique<registry::UnitImporter>(daemon.unit_store_.get(), clock);
  daemon.admin_unit_service_ = std::make_unique<registry::AdminUnitServiceImpl>(
      daemon.unit_registry_.get(), daemon.unit_importer_.get(),
      daemon.authorizer_.get());
  if (!options.load_units_dir.empty()) {
    absl::Status loaded = LoadNationalUnits(
        *daemon.unit_importer_, options.load_units_dir, options.server.logger);
    if (!loaded.ok()) return loaded;
  }

  absl::StatusOr<std::unique_ptr<registry::RecordStore>> record_store =
      OpenStore<registry::RecordStore, registry::SqliteRecordStore,
                registry::PgRecordStore>(options, "registry-records.db");
  if (!record_store.ok()) return record_store.status();
  daemon.stored_records_ = *std::move(record_store);
  daemon.record_store_ = std::make_unique<registry::NotifyingRecordStore>(
      daemon.stored_records_.get(), daemon.registry_revision_.get());
  daemon.agency_registry_ = std::make_unique<registry::AgencyRegistry>(
      daemon.record_store_.get(), daemon.unit_store_.get(), clock);
  daemon.agency_service_ = std::make_unique<registry::AgencyServiceImpl>(
      daemon.agency_registry_.get(), daemon.authorizer_.get());
  daemon.indicator_registry_ = std::make_unique<registry::IndicatorRegistry>(
      daemon.record_store_.get(), clock);
  daemon.indicator_service_ = std::make_unique<registry::IndicatorServiceImpl>(
      daemon.indicator_registry_.get(), daemon.authorizer_.get());
  daemon.schedule_registry_ = std::make_unique<registry::ScheduleRegistry>(
      daemon.record_store_.get(), clock);
  daemon.schedule_service_ = std::make_unique<registry::ScheduleServiceImpl>(
      daemon.schedule_registry_.get(), daemon.authorizer_.get());
  daemon.plan_registry_ = std::make_unique<registry::PlanRegistry>(
      daemon.record_store_.get(), daemon.unit_store_.get(), clock);
  daemon.plan_service_ = std::make_unique<registry::PlanServiceImpl>(
      daemon.plan_registry_.get(), daemon.authorizer_.get());
  daemon.watch_service_ = std::make_unique<registry::RegistryWatchServiceImpl>(
      daemon.registry_revision_.get(), daemon.authorizer_.get());

  if (!options.load_seeds_dir.empty()) {
    absl::StatusOr<std::vector<registry::internal::SeedBundle>> bundles =
        registry::ReadSeedBundles(options.load_seeds_dir);
    if (!bundles.ok()) return bundles.status();
    absl::StatusOr<registry::SeedLoadSummary> loaded =
        registry::LoadSeedBundles(
            *bundles,
            {daemon.unit_registry_.get(), daemon.agency_registry_.get(),
             daemon.indicator_registry_.get(), daemon.plan_registry_.get()});
    if (!loaded.ok()) return loaded.status();
    if (options.server.logger != nullptr) {
      options.server.logger->Info("registry.seeds.loaded",
                                  {{"bundles", absl::StrCat(bundles->size())},
                                   {"plans", absl::StrCat(loaded->plans)},
                                   {"targets", absl::StrCat(loaded->targets)},
                                   {"tasks", absl::StrCat(loaded->tasks)}});
    }
  }
  services.insert(
      services.end(),
      {{"lienthong.registry.v1.AdminUnitService",
        daemon.admin_unit_service_.get()},
       {"lienthong.registry.v1.AgencyService", daemon.agency_service_.get()},
       {"lienthong.registry.v1.IndicatorService",
        daemon.indicator_service_.get()},
       {"lienthong.registry.v1.ReportingScheduleService",
        daemon.schedule_service_.get()},
       {"lienthong.registry.v1.PlanService", daemon.plan_service_.get()},
       {"lienthong.registry.v1.RegistryWatchService",
        daemon.watch_service_.get()}});
  return absl::OkStatus();
}

absl::Status Daemon::StartIngestion(Daemon& daemon,
                                    const DaemonOptions& options,
                                    const Clock* clock,
                                    std::vector<HostedService>& services) {
  // Ingestion reaches the registry only through gRPC.
  absl::StatusOr<std::unique_ptr<ingestion::ValueStore>> value_store =
      OpenStore<ingestion::ValueStore, ingestion::SqliteValueStore,
                ingestion::PgValueStore>(options, "ingestion.db");
  if (!value_store.ok()) return value_store.status();
  daemon.value_store_ = *std::move(value_store);
  daemon.change_notifier_ = std::make_unique<ingestion::ChangeNotifier>();
  daemon.value_intake_ = std::make_unique<ingestion::ValueIntake>(
      daemon.value_store_.get(), daemon.registry_lookup_.get(), clock);
  daemon.ingestion_service_ = std::make_unique<ingestion::IngestionServiceImpl>(
      daemon.value_intake_.get(), daemon.value_store_.get(),
      daemon.change_notifier_.get(), daemon.authorizer_.get());
  services.push_back({"lienthong.ingestion.v1.IngestionService",
                      daemon.ingestion_service_.get()});
  return absl::OkStatus();
}

absl::Status Daemon::StartReporting(Daemon& daemon,
                                    const DaemonOptions& options,
                                    const Clock* clock,
                                    std::vector<HostedService>& services) {
  // Reporting reads the registry and the change feed through gRPC.
  daemon.feed_index_ = std::make_unique<reporting::FeedIndex>();
  // What earlier runs saved: the feed is followed from there, not replayed.
  absl::StatusOr<std::unique_ptr<reporting::ReportingStore>> reporting_store =
      OpenStore<reporting::ReportingStore, reporting::SqliteReportingStore,
                reporting::PgReportingStore>(options, "reporting.db");
  if (!reporting_store.ok()) return reporting_store.status();
  daemon.reporting_store_ = *std::move(reporting_store);
  reporting::FeedIndex* index = daemon.feed_index_.get();
  absl::StatusOr<int64_t> saved = daemon.reporting_store_->Load(
      [index](const ingestion::v1::DataValue& value, bool first_late) {
        index->Restore(value, first_late);
      });
  if (!saved.ok()) return saved.status();
  index->Resume(*saved);
  // The same cache lookup ingestion uses: UNAVAILABLE until it is attached.
  ingestion::RegistryCacheLookup* registry = daemon.registry_lookup_.get();
  auto children = [registry](const std::string& unit, absl::CivilDay date) {
    return registry->ListChildren(unit, date);
  };
  daemon.rollup_reader_ = std::make_unique<reporting::RollupReader>(
      daemon.feed_index_.get(), children,
      [registry](const std::string& name) {
        return registry->GetIndicator(name);
      },
      absl::Seconds(10),
      [registry](const std::string& unit, absl::CivilDay date)
          -> absl::StatusOr<std::vector<std::string>> {
        absl::StatusOr<registry::v1::GetUnitLineageResponse> lineage =
            registry->GetUnitLineage(unit);
        if (!lineage.ok()) return lineage.status();
        return reporting::CarriedHistory(*lineage, unit, date);
      });
  daemon.completeness_reader_ = std::make_unique<reporting::CompletenessReader>(
      daemon.feed_index_.get(), children,
      [registry](const std::string& name) { return registry->GetUnit(name); },
      [registry](const std::string& name) {
        return registry->GetSchedule(name);
      });
  daemon.achievement_reader_ = std::make_unique<reporting::AchievementReader>(
      daemon.rollup_reader_.get(), children, clock);
  reporting::ReportingReaders readers;
  readers.rollups = daemon.rollup_reader_.get();
  readers.completeness = daemon.completeness_reader_.get();
  readers.achievements = daemon.achievement_reader_.get();
  readers.index = daemon.feed_index_.get();
  readers.unit_name = [registry](const std::string& unit) {
    absl::StatusOr<registry::v1::AdminUnit> found = registry->GetUnit(unit);
    return found.ok() ? found->display_name() : std::string();
  };
  daemon.reporting_service_ = std::make_unique<reporting::ReportingServiceImpl>(
      std::move(readers), daemon.authorizer_.get());
  services.push_back({"lienthong.reporting.v1.ReportingService",
                      daemon.reporting_service_.get()});
  return absl::OkStatus();
}

absl::Status Daemon::SecureTransport(
    Daemon& daemon, const DaemonOptions& options, const Clock* clock,
    ServerOptions& server_options,
    std::shared_ptr<grpc::ChannelCredentials>& platform_credentials) {
  if (options.plaintext) {
    if (!IsLoopbackAddress(server_options.address)) {
      return WithErrorInfo(
          absl::FailedPreconditionError(absl::StrCat(
              "plain text is allowed only on a loopback address, not ",
              server_options.address, "; serve mTLS with certs_dir")),
          "PLAINTEXT_NOT_LOOPBACK", {{"listen", server_options.address}});
    }
    if (server_options.authorizer == nullptr) {
      server_options.authorizer = std::make_shared<AllowAllAuthorizer>();
    }
    platform_credentials = grpc::InsecureChannelCredentials();
    return absl::OkStatus();
  }
  if (options.certs_dir.empty()) {
    return WithErrorInfo(
        absl::FailedPreconditionError(
            "mutual TLS needs certs_dir (ca.pem, platform.pem, platform.key; "
            "lt-certs writes a development set); plain text must be asked "
            "for, and only on loopback"),
        "TLS_REQUIRED");
  }
  absl::StatusOr<MtlsFiles> files =
      pki::LoadPkiFiles(options.certs_dir, "platform");
  if (!files.ok()) return files.status();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MtlsServerCredentials(*files, clock, options.server.logger);
  if (!credentials.ok()) return credentials.status();
  server_options.credentials = *credentials;
  platform_credentials = MtlsChannelCredentials(*files);
  std::shared_ptr<const Authorizer> policy = server_options.authorizer;
  if (policy == nullptr) {
    daemon.unit_directory_ = std::make_unique<RegistryUnitDirectory>(
        daemon.registry_lookup_.get(), clock);
    policy = std::make_shared<authz::HierarchyAuthorizer>(
        daemon.unit_directory_.get());
  }
  // Admission first: agencies within their limits, platform calls with a
  // deadline; each call's place is freed when it ends.
  daemon.call_limiter_ = std::make_unique<CallLimiter>(options.limits, clock);
  server_options.authorizer = std::make_shared<AdmittingAuthorizer>(
      std::move(policy), daemon.call_limiter_.get());
  server_options.interceptors.push_back(
      CallReleaseInterceptorFactory(daemon.call_limiter_.get()));
  return absl::OkStatus();
}

absl::Status Daemon::StartAudit(Daemon& daemon, const DaemonOptions& options,
                                const Clock* clock,
                                ServerOptions& server_options) {
  absl::StatusOr<std::unique_ptr<audit::AuditStore>> store =
      OpenStore<audit::AuditStore, audit::SqliteAuditStore,
                audit::PgAuditStore>(options, "audit.db");
  if (!store.ok()) return store.status();
  daemon.audit_store_ = *std::move(store);
  daemon.audit_log_ =
      std::make_unique<audit::AuditLog>(daemon.audit_store_.get(), clock);
  daemon.audit_reader_ =
      std::make_unique<audit::AuditReader>(daemon.audit_store_.get());
  daemon.audit_service_ = std::make_unique<audit::AuditServiceImpl>(
      daemon.audit_reader_.get(), daemon.authorizer_.get());
  server_options.interceptors.push_back(
      AuditInterceptorFactory(daemon.audit_log_.get(), options.server.logger));
  return absl::OkStatus();
}

absl::Status Daemon::StartDocuments(Daemon& daemon,
                                    const DaemonOptions& options,
                                    const ServerOptions& server_options,
                                    std::vector<HostedService>& services) {
  absl::StatusOr<documents::DocumentPki> pki =
      documents::LoadDocumentPki(options.certs_dir);
  if (!pki.ok()) return pki.status();
  daemon.document_pki_ =
      std::make_unique<documents::DocumentPki>(*std::move(pki));
  const std::filesystem::path dir(options.data_dir);
  absl::StatusOr<std::unique_ptr<documents::DocumentStore>> store =
      OpenStore<documents::DocumentStore, documents::SqliteDocumentStore,
                documents::PgDocumentStore>(options, "documents.db");
  if (!store.ok()) return store.status();
  daemon.document_store_ = *std::move(store);
  absl::StatusOr<std::unique_ptr<documents::FileAttachmentStore>> attachments =
      documents::FileAttachmentStore::Create((dir / "attachments").string());
  if (!attachments.ok()) return attachments.status();
  daemon.attachment_store_ = *std::move(attachments);
  documents::DocumentExchangeOptions exchange_options;
  // A package travels in one message.
  exchange_options.max_package_bytes =
      std::min<int64_t>(exchange_options.max_package_bytes,
                        server_options.max_send_message_bytes - (64 << 10));
  ingestion::RegistryCacheLookup* registry = daemon.registry_lookup_.get();
  daemon.document_exchange_ = std::make_unique<documents::DocumentExchange>(
      daemon.document_store_.get(), daemon.attachment_store_.get(),
      daemon.document_pki_->verifier.get(),
      daemon.document_pki_->receipts.get(),
      [registry](const std::string& code) {
        return registry->GetAgency(absl::StrCat("agencies/", code)).status();
      },
      options.clock != nullptr ? options.clock : daemon.system_clock_.get(),
      exchange_options);
  daemon.document_service_ = std::make_unique<documents::DocumentServiceImpl>(
      daemon.document_exchange_.get(), daemon.authorizer_.get());
  services.push_back({"lienthong.documents.v1.DocumentService",
                      daemon.document_service_.get()});
  return absl::OkStatus();
}

Daemon::~Daemon() {
  metrics_server_.reset();
  server_.reset();
  if (data_dir_lock_fd_ >= 0) close(data_dir_lock_fd_);
}

void Daemon::Shutdown(absl::Duration grace) {
  server_->EnterNotServing();
  // Watch streams end now (clients reconnect elsewhere); unary calls in flight
  // get the grace period.
  if (registry_revision_ != nullptr) registry_revision_->Close();
  if (change_notifier_ != nullptr) change_notifier_->Close();
  if (feed_index_ != nullptr) feed_index_->Close();
  server_->Shutdown(absl::Now() + grace);
}

}  // namespace lienthong
