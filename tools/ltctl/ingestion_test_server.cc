#include "tools/ltctl/ingestion_test_server.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"

namespace lienthong::ltctl {

IngestionTestServer::IngestionTestServer(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<ingestion::SqliteValueStore>> store =
      ingestion::SqliteValueStore::Open(dir + "/values.db");
  if (!store.ok()) {
    std::fprintf(stderr, "no value store: %s\n",
                 store.status().ToString().c_str());
    std::abort();
  }
  store_ = *std::move(store);
  intake_ = std::make_unique<ingestion::ValueIntake>(store_.get(), &registry_,
                                                     &clock_);
  service_ = std::make_unique<ingestion::IngestionServiceImpl>(
      intake_.get(), store_.get(), &notifier_, &authorizer_);
}

absl::Status IngestionTestServer::Start(int port) {
  ServerOptions options;
  options.address = absl::StrCat("127.0.0.1:", port);
  absl::StatusOr<std::unique_ptr<GrpcServer>> server = GrpcServer::Start(
      options, {{"lienthong.ingestion.v1.IngestionService", service_.get()}});
  if (!server.ok()) return server.status();
  server_ = *std::move(server);
  port_ = server_->port();
  return absl::OkStatus();
}

void IngestionTestServer::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(absl::Now());
  server_.reset();
}

std::string IngestionTestServer::target() const {
  return absl::StrCat("127.0.0.1:", port_);
}

ValueTypeLookup IngestionTestServer::ValueTypes() {
  return
      [this](
          const std::string& name) -> absl::StatusOr<registry::v1::ValueType> {
        absl::StatusOr<registry::v1::Indicator> indicator =
            registry_.GetIndicator(name);
        if (!indicator.ok()) return indicator.status();
        return indicator->value_type();
      };
}

}  // namespace lienthong::ltctl
