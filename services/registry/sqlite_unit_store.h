#ifndef SERVICES_REGISTRY_SQLITE_UNIT_STORE_H_
#define SERVICES_REGISTRY_SQLITE_UNIT_STORE_H_

// UnitStore on embedded SQLite: writes through a group-commit writer, reads on
// a separate read-only connection (WAL lets them run side by side).

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/registry/unit_store.h"

namespace lienthong {
class Clock;
class GroupCommitWriter;
class SqliteDatabase;
}  // namespace lienthong

namespace lienthong::registry {

class SqliteUnitStore final : public UnitStore {
 public:
  // Opens (creating and migrating) the database at `path`; `clock` stamps
  // update times and must outlive the store.
  static absl::StatusOr<std::unique_ptr<SqliteUnitStore>> Open(
      const std::string& path, const Clock* clock);
  ~SqliteUnitStore() override;

  absl::StatusOr<v1::AdminUnit> GetUnit(const std::string& code) override;
  absl::StatusOr<std::vector<v1::AdminUnit>> ListUnits(
      const UnitQuery& query) override;
  absl::StatusOr<std::vector<v1::SuccessionEvent>> ListEvents(
      const std::string& code) override;
  absl::StatusOr<absl::optional<std::string>> FindResponse(
      const std::string& request_id) override;
  absl::StatusOr<UnitWrite> Write(UnitWrite write) override;

 private:
  SqliteUnitStore(std::unique_ptr<GroupCommitWriter> writer,
                  std::unique_ptr<SqliteDatabase> reader, const Clock* clock);

  std::unique_ptr<GroupCommitWriter> writer_;
  absl::Mutex reader_mutex_;
  std::unique_ptr<SqliteDatabase> reader_ ABSL_GUARDED_BY(reader_mutex_);
  const Clock* clock_;
};

}  // namespace lienthong::registry

#endif  // SERVICES_REGISTRY_SQLITE_UNIT_STORE_H_
