#ifndef SERVICES_REGISTRY_PG_UNIT_STORE_H_
#define SERVICES_REGISTRY_PG_UNIT_STORE_H_

// UnitStore on PostgreSQL: a connection for writes and one for reads, each
// used by one thread at a time. A write is one transaction that locks the
// units it checks, so several processes may share the database.

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/registry/unit_store.h"

namespace lienthong {
class Clock;
class PgDatabase;
}  // namespace lienthong

namespace lienthong::registry {

class PgUnitStore final : public UnitStore {
 public:
  // Connects to the database at `conninfo` (a libpq connection string),
  // creating and migrating its tables; `clock` stamps update times and must
  // outlive the store.
  static absl::StatusOr<std::unique_ptr<PgUnitStore>> Open(
      const std::string& conninfo, const Clock* clock);
  ~PgUnitStore() override;

  absl::StatusOr<v1::AdminUnit> GetUnit(const std::string& code) override;
  absl::StatusOr<std::vector<v1::AdminUnit>> ListUnits(
      const UnitQuery& query) override;
  absl::StatusOr<std::vector<v1::SuccessionEvent>> ListEvents(
      const std::string& code) override;
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override;
  absl::StatusOr<UnitWrite> Write(UnitWrite write) override;

 private:
  PgUnitStore(std::unique_ptr<PgDatabase> writer,
              std::unique_ptr<PgDatabase> reader, const Clock* clock);

  absl::Mutex writer_mutex_;
  std::unique_ptr<PgDatabase> writer_ ABSL_GUARDED_BY(writer_mutex_);
  absl::Mutex reader_mutex_;
  std::unique_ptr<PgDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_PG_UNIT_STORE_H_
