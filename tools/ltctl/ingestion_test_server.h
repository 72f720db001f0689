#ifndef TOOLS_LTCTL_INGESTION_TEST_SERVER_H_
#define TOOLS_LTCTL_INGESTION_TEST_SERVER_H_

// A real ingestion service over TCP on loopback, as ltctl meets it, for
// ltctl's tests: a SQLite value store, a fake registry and a fake clock. It
// can stop and start again on the same port and data.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "libs/clock/clock.h"
#include "libs/server/authorizer.h"
#include "libs/server/grpc_server.h"
#include "services/ingestion/change_notifier.h"
#include "services/ingestion/fake_registry_lookup.h"
#include "services/ingestion/ingestion_service.h"
#include "services/ingestion/sqlite_value_store.h"
#include "services/ingestion/value_intake.h"
#include "tools/ltctl/value_file.h"

namespace lienthong::ltctl {

class IngestionTestServer {
 public:
  // The value store goes in `dir`, which must exist. Serves nothing yet.
  explicit IngestionTestServer(const std::string& dir);
  ~IngestionTestServer() { Stop(); }

  // Serves on 127.0.0.1:`port` (0 picks one; see port()).
  absl::Status Start(int port = 0);
  void Stop();
  int port() const { return port_; }
  std::string target() const;

  // Value types from the fake registry, as ltctl asks the real one.
  ValueTypeLookup ValueTypes();

  ingestion::SqliteValueStore& store() { return *store_; }
  ingestion::ValueIntake& intake() { return *intake_; }
  FakeClock& clock() { return clock_; }

 private:
  FakeClock clock_{absl::FromUnixSeconds(1764900000)};  // 2025-12-05
  ingestion::FakeRegistry registry_;
  ingestion::ChangeNotifier notifier_;
  AllowAllAuthorizer authorizer_;
  std::unique_ptr<ingestion::SqliteValueStore> store_;
  std::unique_ptr<ingestion::ValueIntake> intake_;
  std::unique_ptr<ingestion::IngestionServiceImpl> service_;
  std::unique_ptr<GrpcServer> server_;
  int port_ = 0;
};

}  // namespace lienthong::ltctl

#endif  // TOOLS_LTCTL_INGESTION_TEST_SERVER_H_
